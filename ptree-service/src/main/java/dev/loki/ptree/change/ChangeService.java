package dev.loki.ptree.change;

import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

import dev.loki.events.ChangeDecided;
import dev.loki.events.ChangeProposed;
import dev.loki.events.Events;
import dev.loki.ptree.binding.BindingView;
import dev.loki.ptree.binding.UrlService;
import dev.loki.ptree.node.NodeChange;
import dev.loki.ptree.node.NodeService;
import dev.loki.ptree.node.NodeState;
import dev.loki.ptree.node.TreeView;
import dev.loki.support.Caller;
import dev.loki.support.EventPublisher;
import dev.loki.support.Page;
import dev.loki.support.Permissions;
import dev.loki.support.Problems;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Change review. Every change of the tree goes through here: applied at once when the caller holds
 * {@code node.manage} where it needs it, otherwise recorded as {@code pending} until someone who does
 * approves (then applied as the approver) or rejects it. Applied changes can be reverted (the inverse
 * change is applied and recorded too). Every outcome is kept in the history.
 */
@Service
public class ChangeService {

    private static final Logger log = LoggerFactory.getLogger(ChangeService.class);
    private static final String SOURCE = "ptree-service";

    /** What became of a submitted change: applied ({@code node} set) or waiting ({@code pending} set). */
    public record Outcome(NodeState node, Change pending) {
    }

    private final NodeService nodes;
    private final ChangeRepository changes;
    private final TreeView tree;
    private final BindingView bindings;
    private final UrlService urls;
    private final EventPublisher events;
    private final Permissions permissions;

    ChangeService(NodeService nodes, ChangeRepository changes, TreeView tree, BindingView bindings, UrlService urls,
                  EventPublisher events, Permissions permissions) {
        this.permissions = permissions;
        this.nodes = nodes;
        this.changes = changes;
        this.tree = tree;
        this.bindings = bindings;
        this.urls = urls;
        this.events = events;
    }

    /** Applies {@code change} if the caller may, else records it as pending (and announces it). */
    public Mono<Outcome> submit(NodeChange change, String reason) {
        if (change.isNoop()) {
            return Mono.just(new Outcome(change.before(), null));
        }
        return nodes.permitted(change).flatMap(allowed -> allowed
                ? applyAndRecord(change, reason, null).map(applied -> new Outcome(applied, null))
                : propose(change, reason).map(pending -> new Outcome(null, pending)));
    }

    Mono<Page<Change>> search(String nodePath, String status, int page, int size) {
        return changes.search(nodePath, status, page, size)
                .map(p -> new Page<>(p.items().stream().map(this::withImpact).toList(), p.page(), p.size(), p.total()));
    }

    Mono<Change> find(long id) {
        return load(id).map(this::withImpact);
    }

    /** Applies a pending change as the approver (who needs what a direct change needs). */
    Mono<Change> approve(long id) {
        return Caller.current().flatMap(approver -> load(id).flatMap(change -> {
            requireStatus(change, Change.PENDING);
            NodeChange planned = replan(change);
            // checked before the claim: a caller who may not approve changes nothing, not even for a moment
            return nodes.require(planned).then(changes.claim(id, Change.PENDING, Change.APPLYING, approver.subject())).flatMap(claimed -> {
                if (!claimed) {
                    return Mono.error(Problems.conflict("Change " + id + " was decided meanwhile."));
                }
                return nodes.apply(planned)
                        .onErrorResume(e -> changes.transition(id, Change.APPLYING, Change.PENDING).then(Mono.error(e)))
                        .flatMap(applied -> changes.decide(id, Change.APPLIED, approver.subject(), applied.id(), applied.path(),
                                        planned.kind().equals(NodeChange.DELETE) ? null : applied)
                                .then(followPath(planned))
                                .then(events.publish(new ChangeDecided(Events.newId(), Events.now(), SOURCE, applied.path(), id,
                                        change.kind(), Change.APPLIED, approver.subject()))));
            });
        })).then(find(id));
    }

    /** Turns a pending change down; needs node.manage where the change would apply. */
    Mono<Change> reject(long id) {
        return Caller.current().flatMap(decider -> load(id).flatMap(change -> {
            requireStatus(change, Change.PENDING);
            return permissions.require(change.nodePath(), NodeService.PRIVILEGE)
                    .then(changes.transition(id, Change.PENDING, Change.REJECTED))
                    .flatMap(done -> done ? changes.decide(id, Change.REJECTED, decider.subject(), null, change.nodePath(), null)
                            : Mono.error(Problems.conflict("Change " + id + " was decided meanwhile.")))
                    .then(events.publish(new ChangeDecided(Events.newId(), Events.now(), SOURCE, change.nodePath(), id, change.kind(),
                            Change.REJECTED, decider.subject())));
        })).then(find(id));
    }

    /** Undoes an applied change by applying (and recording) its inverse as the caller. */
    Mono<Change> revert(long id) {
        return Caller.current().flatMap(caller -> load(id).flatMap(change -> {
            requireStatus(change, Change.APPLIED);
            NodeChange undo = inverse(change);
            return nodes.require(undo).then(changes.claim(id, Change.APPLIED, Change.REVERTING, caller.subject())).flatMap(claimed -> {
                if (!claimed) {
                    return Mono.error(Problems.conflict("Change " + id + " is being reverted already."));
                }
                return applyAndRecord(undo, "revert of change " + id, id)
                        .onErrorResume(e -> changes.transition(id, Change.REVERTING, Change.APPLIED).then(Mono.error(e)))
                        .then(changes.markReverted(id, caller.subject()));
            });
        })).then(find(id));
    }

    /**
     * Finishes or rolls back changes left in {@code applying}/{@code reverting} since before {@code cutoff}
     * (their replica died mid-way): one whose effect is in the tree is recorded as done, as its claimer;
     * one whose effect is not goes back to where it was ({@code pending}/{@code applied}). Conditional
     * updates, so sweepers of several replicas never both act on one change.
     */
    Mono<Long> sweep(java.time.Instant cutoff) {
        // read them all first (at most 100), so the query's connection is free before each is handled
        return changes.stuckSince(cutoff).collectList().flatMapMany(Flux::fromIterable).concatMap(stuck -> {
            Change change = stuck.change();
            String by = stuck.claimedBy() != null ? stuck.claimedBy() : change.actor();
            boolean reverting = change.status().equals(Change.REVERTING);
            boolean done = reverting ? shows(change, change.before(), true) : shows(change, change.after(), false);
            log.warn("change {} was left {}; its effect is {} the tree: {}", change.id(), change.status(), done ? "in" : "not in",
                    done ? "recording it as done" : "rolling the claim back");
            if (reverting) {
                return (done ? changes.transition(change.id(), Change.REVERTING, Change.REVERTED)
                                .flatMap(moved -> moved ? changes.markReverted(change.id(), by).thenReturn(true) : Mono.just(false))
                        : changes.transition(change.id(), Change.REVERTING, Change.APPLIED));
            }
            if (!done) {
                return changes.transition(change.id(), Change.APPLYING, Change.PENDING);
            }
            Long nodeId = change.kind().equals(NodeChange.CREATE) ? createdNode(change.after()) : change.nodeId();
            String path = nodeId == null ? change.nodePath() : tree.pathOf(nodeId).orElse(change.nodePath());
            // re-claimed first (a conditional update), so of several sweepers exactly one records it
            boolean moves = change.kind().equals(NodeChange.RENAME) || change.kind().equals(NodeChange.MOVE);
            return changes.transition(change.id(), Change.APPLYING, Change.APPLYING).flatMap(still -> !still ? Mono.just(false)
                    : changes.decide(change.id(), Change.APPLIED, by, nodeId, path, null)
                            .then(moves ? changes.rekey(change.before().path(), path) : Mono.empty())
                            .then(events.publish(new ChangeDecided(Events.newId(), Events.now(), SOURCE, path, change.id(), change.kind(),
                                    Change.APPLIED, by)))
                            .thenReturn(true));
        }).filter(Boolean::booleanValue).count();
    }

    /** Whether the tree shows {@code state} for the change's node ({@code undone}: the state before it). */
    private boolean shows(Change change, NodeState state, boolean undone) {
        String kind = change.kind();
        boolean create = kind.equals(NodeChange.CREATE);
        boolean delete = kind.equals(NodeChange.DELETE);
        if (create && !undone) {
            return createdNode(state) != null;
        }
        if (delete && undone) {
            return change.nodeId() != null && tree.byId(change.nodeId()).isPresent();
        }
        if (create || delete) {
            // applying a delete, or reverting a create: the node is gone
            return change.nodeId() == null || tree.byId(change.nodeId()).isEmpty();
        }
        return tree.byId(change.nodeId()).map(v -> v.node().name().equals(state.name())
                && java.util.Objects.equals(v.node().parentId(), state.parentId())).orElse(false);
    }

    /** The node a proposed create made, found by its parent and name; null if there is none. */
    private Long createdNode(NodeState after) {
        return tree.pathOf(after.parentId())
                .map(parent -> (parent.equals("/") ? "" : parent) + "/" + after.name())
                .flatMap(tree::byPath).map(v -> v.node().id()).orElse(null);
    }

    private Mono<Change> load(long id) {
        return changes.find(id).switchIfEmpty(Mono.error(() -> Problems.notFound("Change", id)));
    }

    private static void requireStatus(Change change, String status) {
        if (!change.status().equals(status)) {
            throw Problems.conflict("Change " + change.id() + " is " + change.status() + ", not " + status + ".");
        }
    }

    private Mono<Change> propose(NodeChange change, String reason) {
        // filed under where the node is now (a proposed create: where it would be), so reviewers of that subtree see it
        String where = change.before() != null ? change.before().path() : change.after().path();
        return Caller.current().flatMap(caller -> changes.insert(change.kind(), change.nodeId(), where, change.before(),
                        change.after(), reason, caller.subject(), Change.PENDING, null))
                .flatMap(pending -> events.publish(new ChangeProposed(Events.newId(), Events.now(), SOURCE, pending.nodePath(), pending.id(),
                        pending.kind(), pending.actor())).thenReturn(withImpact(pending)));
    }

    /** Applies a change as the caller, then records it; a failure to record is logged, never undoes the change. */
    private Mono<NodeState> applyAndRecord(NodeChange change, String reason, Long revertOf) {
        return nodes.apply(change).flatMap(applied -> Caller.current()
                .flatMap(caller -> changes.insert(change.kind(), applied.id(), applied.path(), change.before(),
                        change.kind().equals(NodeChange.DELETE) ? null : applied, reason, caller.subject(), Change.APPLIED, revertOf))
                .then(followPath(change))
                .onErrorResume(e -> {
                    log.error("change {} of {} was applied but could not be recorded: {}", change.kind(), change.nodePath(), e.toString());
                    return Mono.empty();
                })
                .thenReturn(applied));
    }

    /** A rename or move takes the recorded changes of the subtree along to the new path. */
    private Mono<Void> followPath(NodeChange change) {
        return change.kind().equals(NodeChange.RENAME) || change.kind().equals(NodeChange.MOVE)
                ? changes.rekey(change.before().path(), tree.pathOf(change.nodeId()).orElse(change.after().path()))
                : Mono.empty();
    }

    /** The change as it would apply to the tree now (parents found by id, wherever they are now). */
    private NodeChange replan(Change change) {
        NodeState after = change.after();
        return switch (change.kind()) {
            case NodeChange.CREATE -> nodes.planCreate(currentPath(after.parentId()), after.name(), after.type());
            case NodeChange.DELETE -> nodes.planDelete(existing(change.nodeId()));
            default -> nodes.planUpdate(existing(change.nodeId()), after.name(), currentPath(after.parentId()));
        };
    }

    /** The change that undoes an applied one, as the tree is now. */
    private NodeChange inverse(Change change) {
        NodeState before = change.before();
        return switch (change.kind()) {
            case NodeChange.CREATE -> nodes.planDelete(existing(change.nodeId()));
            case NodeChange.DELETE -> nodes.planRestore(before);
            default -> nodes.planUpdate(existing(change.nodeId()), before.name(), currentPath(before.parentId()));
        };
    }

    private String currentPath(long nodeId) {
        return tree.pathOf(nodeId).orElseThrow(() -> Problems.conflict("Node " + nodeId + " no longer exists."));
    }

    private long existing(Long nodeId) {
        if (nodeId == null || tree.byId(nodeId).isEmpty()) {
            throw Problems.conflict("Node " + nodeId + " no longer exists.");
        }
        return nodeId;
    }

    private Change withImpact(Change change) {
        if (!change.status().equals(Change.PENDING) || change.nodeId() == null || change.kind().equals(NodeChange.CREATE)) {
            return change;
        }
        Map<Long, String> subtree = tree.subtreePaths(change.nodeId());
        if (subtree.isEmpty()) {
            return change;
        }
        TreeSet<String> hostnames = new TreeSet<>();
        int boundUrls = 0;
        for (long id : subtree.keySet()) {
            bindings.onNode(id).forEach(b -> hostnames.add(b.hostname()));
            boundUrls += urls.onNode(id).size();
        }
        List<String> first = hostnames.stream().limit(100).toList();
        return change.withImpact(new Impact(subtree.size() - 1, hostnames.size(), boundUrls, first));
    }
}
