package dev.loki.events;

import java.time.Instant;
import java.util.List;

/**
 * ptree-service's answer at {@link InternalApi#RECENT_TREE_CHANGES}: the tree edits applied in a window on a node
 * (itself, an ancestor or a descendant) and the binding changes there or of some hosts, newest first, at most
 * {@link #LIMIT}. alarm-service shows them as what changed before an alarm.
 */
public record RecentTreeChanges(List<Entry> changes) {

    public static final int LIMIT = 200;

    public RecentTreeChanges {
        changes = changes == null ? List.of() : List.copyOf(changes);
    }

    /**
     * @param kind a tree edit ({@code create}, {@code rename}, {@code move}, {@code delete}) or a binding change
     *             ({@code bound}, {@code unbound}, {@code binding}: its traffic ratio or offline flag)
     * @param nodePath the node's path now
     * @param hostname the server of a binding change
     * @param summary one line for people
     */
    public record Entry(Instant at, String kind, String nodePath, String hostname, String actor, String summary) {
    }
}
