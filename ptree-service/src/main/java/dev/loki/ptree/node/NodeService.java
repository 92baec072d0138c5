package dev.loki.ptree.node;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Predicate;

import org.springframework.stereotype.Service;

import dev.loki.events.Events;
import dev.loki.events.LokiEvent;
import dev.loki.events.NodeCreated;
import dev.loki.events.NodeDeleted;
import dev.loki.events.NodeMoved;
import dev.loki.events.NodePath;
import dev.loki.events.NodeRenamed;
import dev.loki.events.Privilege;
import dev.loki.events.Streams;
import dev.loki.ptree.log.PathChangeLog;
import dev.loki.ptree.system.ZooKeeperCalls;
import dev.loki.support.EventPublisher;
import dev.loki.support.LokiProperties;
import dev.loki.support.Permissions;
import dev.loki.support.Problems;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Tree rules: reads from the view; changes are first planned (checked against the tree as it is: the
 * parent exists, the name is free, no cycles, the root stays) and then applied, which needs
 * {@code node.manage} on {@link NodeChange#guardedPaths()}. Applied writes are visible on this
 * replica before the answer, and announced as events.
 */
@Service
public class NodeService {

    public static final Privilege PRIVILEGE = Privilege.NODE_MANAGE;
    static final String SOURCE = "ptree-service";
    private static final Duration VISIBLE_WITHIN = Duration.ofSeconds(5);

    private final NodeStore store;
    private final TreeView view;
    private final Permissions permissions;
    private final EventPublisher events;
    private final ZooKeeperCalls zk;
    private final PathChangeLog pathChanges;
    private final String pathChangeStream;

    NodeService(NodeStore store, TreeView view, Permissions permissions, EventPublisher events, ZooKeeperCalls zk,
                PathChangeLog pathChanges, LokiProperties loki) {
        this.store = store;
        this.view = view;
        this.permissions = permissions;
        this.events = events;
        this.zk = zk;
        this.pathChanges = pathChanges;
        this.pathChangeStream = loki.redis().keyPrefix() + Streams.PTREE_PATH_CHANGES;
    }

    Mono<NodeView> tree(String path, int depth) {
        return Mono.justOrEmpty(view.byPath(path)).flatMap(v -> Mono.justOrEmpty(view.subtree(v.node().id(), depth)))
                .switchIfEmpty(Mono.error(() -> Problems.notFound("Node", path)));
    }

    Mono<NodeView> byPath(String path) {
        return Mono.justOrEmpty(view.byPath(path)).flatMap(v -> Mono.justOrEmpty(view.subtree(v.node().id(), 0)))
                .switchIfEmpty(Mono.error(() -> Problems.notFound("Node", path)));
    }

    Mono<java.util.List<NodeView>> search(String text, int limit) {
        return Mono.fromSupplier(() -> view.search(text, limit));
    }

    public Mono<NodeView> byId(long id) {
        return Mono.justOrEmpty(view.subtree(id, 0)).switchIfEmpty(Mono.error(() -> Problems.notFound("Node", id)));
    }

    // ------------------------------------------------------------------ planning

    /** A new node {@code name} below {@code parentPath}; 400 if the parent is missing, 409 if the name is taken. */
    public NodeChange planCreate(String parentPath, String name, String type) {
        TreeView.Versioned parent = view.byPath(parentPath)
                .orElseThrow(() -> Problems.invalid("parentPath", "no such node: " + parentPath));
        String path = child(parentPath, name);
        if (!NodePath.isValid(path)) {
            throw Problems.invalid("name", "the node's path would be longer than " + NodePath.MAX_LENGTH + " characters");
        }
        if (view.byPath(path).isPresent()) {
            throw Problems.conflict("A node named '" + name + "' already exists there.");
        }
        int depth = parentPath.equals("/") ? 1 : parentPath.split("/").length;
        String nodeType = type != null ? type : NodeNames.defaultType(depth);
        return new NodeChange(NodeChange.CREATE, null, null,
                new NodeState(null, name, path, parent.node().id(), parentPath, nodeType));
    }

    /** Puts a deleted node back under its old id, below its old parent (wherever that is now). */
    public NodeChange planRestore(NodeState deleted) {
        String parentPath = view.pathOf(deleted.parentId())
                .orElseThrow(() -> Problems.conflict("The parent of the deleted node no longer exists."));
        if (view.byId(deleted.id()).isPresent()) {
            throw Problems.conflict("The node exists again.");
        }
        NodeChange create = planCreate(parentPath, deleted.name(), deleted.type());
        NodeState after = create.after();
        return new NodeChange(NodeChange.CREATE, deleted.id(), null,
                new NodeState(deleted.id(), after.name(), after.path(), after.parentId(), parentPath, after.type()));
    }

    /** Rename ({@code name}) and/or move (below {@code parentPath}); either may be null for "unchanged". */
    public NodeChange planUpdate(long id, String name, String parentPath) {
        NodeState before = state(id);
        if (before.parentId() == null) {
            throw Problems.conflict("The root node cannot be renamed or moved.");
        }
        String newName = name != null ? name : before.name();
        long newParent = before.parentId();
        String newParentPath = before.parentPath();
        if (parentPath != null) {
            TreeView.Versioned target = view.byPath(parentPath)
                    .orElseThrow(() -> Problems.invalid("parentPath", "no such node: " + parentPath));
            if (view.isWithin(target.node().id(), id)) {
                throw Problems.conflict("A node cannot be moved below itself.");
            }
            newParent = target.node().id();
            newParentPath = parentPath;
        }
        NodeState after = new NodeState(id, newName, child(newParentPath, newName), newParent, newParentPath, before.type());
        NodeChange change = new NodeChange(newParent != before.parentId() ? NodeChange.MOVE : NodeChange.RENAME, id, before, after);
        if (!change.isNoop() && view.byPath(after.path()).isPresent()) {
            throw Problems.conflict("A node named '" + newName + "' already exists there.");
        }
        int longest = view.subtreePaths(id).values().stream().mapToInt(String::length).max().orElse(before.path().length());
        if (longest - before.path().length() + after.path().length() > NodePath.MAX_LENGTH) {
            throw Problems.invalid(parentPath != null ? "parentPath" : "name",
                    "a path in the subtree would be longer than " + NodePath.MAX_LENGTH + " characters");
        }
        return change;
    }

    /** Deleting a node; whether it is empty is checked when the change is applied. */
    public NodeChange planDelete(long id) {
        NodeState before = state(id);
        if (before.parentId() == null) {
            throw Problems.conflict("The root node cannot be deleted.");
        }
        return new NodeChange(NodeChange.DELETE, id, before, null);
    }

    /** The node as it is now; 404 if there is none. */
    public NodeState state(long id) {
        TreeView.Versioned v = view.byId(id).orElseThrow(() -> Problems.notFound("Node", id));
        String path = view.pathOf(id).orElseThrow(() -> Problems.notFound("Node", id));
        Node node = v.node();
        String parentPath = node.parentId() == null ? null : view.pathOf(node.parentId()).orElse(null);
        return new NodeState(id, node.isRoot() ? "/" : node.name(), path, node.parentId(), parentPath, node.type());
    }

    /** Whether the caller may apply {@code change} directly (holds node.manage on every guarded path). */
    public Mono<Boolean> permitted(NodeChange change) {
        return Flux.fromIterable(change.guardedPaths()).concatMap(p -> permissions.has(p, PRIVILEGE)).all(Boolean::booleanValue);
    }

    /** Completes empty if the caller may apply {@code change} directly; 403 naming the missing privilege otherwise. */
    public Mono<Void> require(NodeChange change) {
        return Flux.fromIterable(change.guardedPaths()).concatMap(p -> permissions.require(p, PRIVILEGE)).then();
    }

    // ------------------------------------------------------------------ applying

    /**
     * Applies a planned change as the caller (403 without node.manage on the guarded paths), waits until
     * this replica's view shows it and publishes its event. Answers the node after the change (before it,
     * for a delete).
     */
    public Mono<NodeState> apply(NodeChange change) {
        return require(change).then(Mono.defer(() -> switch (change.kind()) {
            case NodeChange.CREATE -> create(change.after());
            case NodeChange.DELETE -> delete(change.before());
            default -> update(change.before(), change.after());
        }));
    }

    private Mono<NodeState> create(NodeState wanted) {
        return zk.call(() -> wanted.id() == null
                        ? store.create(wanted.parentId(), wanted.name(), wanted.type())
                        : store.restore(new Node(wanted.id(), wanted.name(), wanted.parentId(), wanted.type(), dev.loki.support.Times.now())))
                .flatMap(node -> visible(node.id(), v -> true))
                .flatMap(created -> events.publish(new NodeCreated(Events.newId(), Events.now(), SOURCE, created.path(), created.id(),
                        created.parentId(), created.type())).thenReturn(state(created.id())));
    }

    private Mono<NodeState> update(NodeState before, NodeState after) {
        TreeView.Versioned current = view.byId(before.id()).orElseThrow(() -> Problems.notFound("Node", before.id()));
        if (!current.node().name().equals(before.name()) || !current.node().parentId().equals(before.parentId())) {
            return Mono.error(Problems.conflict("The node changed while this request ran; read it again and retry."));
        }
        long id = before.id();
        List<TreeView.Versioned> newAncestry = view.selfAndAncestors(after.parentId());
        if (newAncestry.stream().anyMatch(v -> v.node().id() == id)) {
            return Mono.error(Problems.conflict("A node cannot be moved below itself."));
        }
        String parentPath = view.pathOf(after.parentId()).orElseThrow(() -> Problems.notFound("Node", after.parentId()));
        String newPath = child(parentPath, after.name());
        LokiEvent change = !after.parentId().equals(before.parentId())
                ? new NodeMoved(Events.newId(), Events.now(), SOURCE, newPath, id, before.path(), before.parentId(), after.parentId())
                : new NodeRenamed(Events.newId(), Events.now(), SOURCE, newPath, id, before.path());
        return zk.call(() -> store.update(current.node(), current.version(), after.name(), after.parentId(), newAncestry, pathChanges.entry(change)))
                .flatMap(updated -> visible(id, v -> v.node().name().equals(after.name()) && after.parentId().equals(v.node().parentId())))
                .flatMap(moved -> announce(change).thenReturn(state(id)));
    }

    private Mono<NodeState> delete(NodeState before) {
        TreeView.Versioned current = view.byId(before.id()).orElseThrow(() -> Problems.notFound("Node", before.id()));
        if (view.hasChildren(before.id())) {
            return Mono.error(Problems.conflict("The node has children; delete or move them first."));
        }
        String path = view.pathOf(before.id()).orElseThrow(() -> Problems.notFound("Node", before.id()));
        NodeState gone = state(before.id());
        NodeDeleted change = new NodeDeleted(Events.newId(), Events.now(), SOURCE, path, before.id());
        return zk.call(() -> {
                    // in the log with the deletion: grants, petitions and alert rules keyed by this path go with the node
                    store.delete(current.node(), current.version(), pathChanges.entry(change));
                    return before.id();
                })
                .flatMap(id -> awaitView(() -> view.byId(id).isPresent() ? null : Boolean.TRUE))
                .then(announce(change))
                .thenReturn(gone);
    }

    /**
     * Wakes the log's followers through the stream. The change is already in the log, so a Redis failure
     * only delays them until their next poll: it is logged and does not fail the request.
     */
    private Mono<Void> announce(LokiEvent change) {
        return events.appendWakeUp(pathChangeStream, change);
    }

    private static String child(String parentPath, String name) {
        return (parentPath.equals("/") ? "" : parentPath) + "/" + name;
    }

    /** Waits until this replica's view shows the write (read-your-writes), then answers the node. */
    private Mono<NodeView> visible(long id, Predicate<TreeView.Versioned> written) {
        return awaitView(() -> view.byId(id).filter(written).flatMap(v -> view.subtree(id, 0)).orElse(null));
    }

    /** Polls this replica's view (every 5 ms) until {@code check} answers non-null. */
    private static <T> Mono<T> awaitView(Callable<T> check) {
        return Mono.fromCallable(check)
                .repeatWhenEmpty(r -> r.delayElements(Duration.ofMillis(5)))
                .timeout(VISIBLE_WITHIN)
                .onErrorMap(java.util.concurrent.TimeoutException.class,
                        e -> new IllegalStateException("the change was stored but this replica did not see it within " + VISIBLE_WITHIN));
    }
}
