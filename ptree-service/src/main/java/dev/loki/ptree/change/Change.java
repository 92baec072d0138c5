package dev.loki.ptree.change;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.loki.ptree.node.NodeState;

/**
 * One recorded change of the tree.
 *
 * @param kind {@code create}, {@code rename}, {@code move} or {@code delete}
 * @param nodeId the node (null while a proposed create waits)
 * @param nodePath the node's path, kept current when it or an ancestor is renamed or moved
 * @param before the node before the change (null for a create)
 * @param after the node after it (null for a delete)
 * @param actor who made or proposed it ({@code user:<name>} or {@code token:<id>})
 * @param status {@code pending}, {@code applied}, {@code rejected} or {@code reverted}
 *        ({@code applying}/{@code reverting} while a decision is being carried out)
 * @param decidedBy who approved or rejected a proposed change
 * @param revertOf for a change made by a revert: the change it undid
 * @param revertedBy who reverted this change
 * @param impact for a pending change: what it would affect
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Change(long id, String kind, Long nodeId, String nodePath, NodeState before, NodeState after, String reason,
                     String actor, Instant at, String status, String decidedBy, Instant decidedAt, Long revertOf,
                     String revertedBy, Instant revertedAt, Impact impact) {

    public static final String PENDING = "pending";
    public static final String APPLYING = "applying";
    public static final String APPLIED = "applied";
    public static final String REJECTED = "rejected";
    public static final String REVERTING = "reverting";
    public static final String REVERTED = "reverted";

    Change withImpact(Impact value) {
        return new Change(id, kind, nodeId, nodePath, before, after, reason, actor, at, status, decidedBy, decidedAt, revertOf,
                revertedBy, revertedAt, value);
    }
}
