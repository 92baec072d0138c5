package dev.loki.gateway.identity;

import java.time.Duration;
import java.time.Instant;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.stereotype.Component;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import dev.loki.gateway.live.EventStream;
import reactor.core.Disposable;

/**
 * The users whose sessions ended — disabled ({@code user-updated} with {@code enabled: false}) or
 * deleted ({@code user-deleted}) — and when, by auth-service's clock (the event's {@code occurredAt}).
 * A user's JWT issued before then is refused from the moment the event arrives (issue 11, item 1: reads
 * stop at once, not only writes, which every privilege check refuses anyway); one issued later — the
 * user enabled again and signed in — works. Kept for {@link #KEPT}, longer than any JWT lives. A gateway
 * replica that was not running when the event was published does not know it: there the JWT works
 * until it expires (at most its lifetime, 15 minutes by default).
 */
@Component
class EndedSessions implements DisposableBean {

    static final Duration KEPT = Duration.ofHours(2);

    private final Cache<String, Instant> ended = Caffeine.newBuilder().expireAfterWrite(KEPT).maximumSize(100_000).build();
    private final Disposable subscription;

    EndedSessions(EventStream stream) {
        this.subscription = stream.events()
                .filter(e -> e.endedUser() != null)
                .subscribe(e -> ended.asMap().merge(e.endedUser(), e.occurredAt() == null ? Instant.now() : e.occurredAt(),
                        (a, b) -> a.isAfter(b) ? a : b));
    }

    /** Whether {@code jwt} belongs to a user whose session ended after it was issued. */
    boolean ended(Jwt jwt) {
        String subject = jwt.getSubject();
        if (subject == null || !subject.startsWith("user:")) {
            return false;
        }
        Instant at = ended.getIfPresent(subject.substring("user:".length()));
        // iat is in whole seconds: a token of the second the account was disabled in counts as issued before
        return at != null && (jwt.getIssuedAt() == null || !jwt.getIssuedAt().isAfter(at));
    }

    @Override
    public void destroy() {
        subscription.dispose();
    }
}
