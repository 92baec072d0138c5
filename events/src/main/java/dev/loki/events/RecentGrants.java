package dev.loki.events;

import java.time.Instant;
import java.util.List;

/**
 * auth-service's answer at {@link InternalApi#RECENT_GRANTS}: the grants given or revoked in a window on a node
 * (itself, an ancestor or a descendant), newest first, at most {@link #LIMIT}. alarm-service shows them as what
 * changed before an alarm.
 *
 * @param changes each {@code granted} or {@code revoked} by {@code actor}
 */
public record RecentGrants(List<Entry> changes) {

    public static final int LIMIT = 200;

    public RecentGrants {
        changes = changes == null ? List.of() : List.copyOf(changes);
    }

    public record Entry(Instant at, String action, String subject, String nodePath, String privilege, String actor) {
    }
}
