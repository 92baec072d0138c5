package dev.loki.events;

import java.time.Instant;
import java.util.List;

/**
 * auth-service's answer at {@link InternalApi#ENDED_SESSIONS}: the users whose sessions ended —
 * disabled or deleted — recently enough that a JWT issued to them may still be unexpired, and when,
 * by auth-service's clock. A gateway replica refuses such a user's JWT issued up to that time,
 * whether or not it heard the {@code user-updated} / {@code user-deleted} event.
 *
 * @param coversSince every end since this instant is listed (older ones are forgotten)
 */
public record EndedSessions(Instant coversSince, List<Ended> sessions) {

    public EndedSessions {
        sessions = sessions == null ? List.of() : List.copyOf(sessions);
    }

    public record Ended(String username, Instant endedAt) {
    }
}
