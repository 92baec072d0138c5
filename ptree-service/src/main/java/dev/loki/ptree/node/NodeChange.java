package dev.loki.ptree.node;

import java.util.List;

/**
 * A checked change of the tree, not yet applied: made by {@link NodeService}'s {@code plan...} methods
 * from the tree as it is now, applied by {@link NodeService#apply}.
 *
 * @param kind {@code create}, {@code rename}, {@code move} (perhaps with a new name) or {@code delete}
 * @param nodeId the node changed; {@code null} for a create of a new node
 * @param before the node before (null for a create)
 * @param after the node after (null for a delete)
 */
public record NodeChange(String kind, Long nodeId, NodeState before, NodeState after) {

    public static final String CREATE = "create";
    public static final String RENAME = "rename";
    public static final String MOVE = "move";
    public static final String DELETE = "delete";

    /** The path the change concerns: where the node is (or will be) after it, or was before a delete. */
    public String nodePath() {
        return after != null ? after.path() : before.path();
    }

    /** Where {@code node.manage} is needed: the node itself, and for creates and moves the (new) parent. */
    public List<String> guardedPaths() {
        return switch (kind) {
            case CREATE -> List.of(after.parentPath());
            case MOVE -> List.of(before.path(), after.parentPath());
            default -> List.of(before.path());
        };
    }

    /** A rename or move that would leave the node where and as it is. */
    public boolean isNoop() {
        return before != null && after != null && before.name().equals(after.name()) && before.parentId().equals(after.parentId());
    }
}
