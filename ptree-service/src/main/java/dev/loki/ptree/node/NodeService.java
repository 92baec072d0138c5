package dev.loki.ptree.node;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.Predicate;

import org.springframework.stereotype.Service;

import dev.loki.events.Events;
import dev.loki.events.NodeCreated;
import dev.loki.events.NodeDeleted;
import dev.loki.events.NodeMoved;
import dev.loki.events.NodeRenamed;
import dev.loki.events.Streams;
import dev.loki.support.EventPublisher;
import dev.loki.support.LokiProperties;
import dev.loki.support.Permissions;
import dev.loki.support.Problems;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/** Tree rules: who may change what, no cycles, the root stays; writes become visible before answering. */
@Service
class NodeService {

    static final String PRIVILEGE = "node.manage";
    static final String SOURCE = "ptree-service";
    private static final Duration VISIBLE_WITHIN = Duration.ofSeconds(5);

    private final NodeStore store;
    private final TreeView view;
    private final Permissions permissions;
    private final EventPublisher events;

    private final String pathChanges;

    NodeService(NodeStore store, TreeView view, Permissions permissions, EventPublisher events, LokiProperties loki) {
        this.events = events;
        this.pathChanges = loki.redis().keyPrefix() + Streams.PTREE_PATH_CHANGES;
        this.store = store;
        this.view = view;
        this.permissions = permissions;
    }

    Mono<NodeView> tree(String path, int depth) {
        return Mono.justOrEmpty(view.byPath(path)).flatMap(v -> Mono.justOrEmpty(view.subtree(v.node().id(), depth)))
                .switchIfEmpty(Mono.error(() -> Problems.notFound("Node", path)));
    }

    Mono<NodeView> byPath(String path) {
        return Mono.justOrEmpty(view.byPath(path)).flatMap(v -> Mono.justOrEmpty(view.subtree(v.node().id(), 0)))
                .switchIfEmpty(Mono.error(() -> Problems.notFound("Node", path)));
    }

    Mono<NodeView> byId(long id) {
        return Mono.justOrEmpty(view.subtree(id, 0)).switchIfEmpty(Mono.error(() -> Problems.notFound("Node", id)));
    }

    Mono<NodeView> create(NodeRequests.CreateNodeRequest request) {
        TreeView.Versioned parent = view.byPath(request.parentPath())
                .orElseThrow(() -> Problems.invalid("parentPath", "no such node: " + request.parentPath()));
        int depth = request.parentPath().equals("/") ? 1 : request.parentPath().split("/").length;
        String type = request.type() != null ? request.type() : NodeNames.defaultType(depth);
        return permissions.require(request.parentPath(), PRIVILEGE)
                .then(blocking(() -> store.create(parent.node().id(), request.name(), type)))
                .flatMap(node -> visible(node.id(), v -> true))
                .flatMap(view -> events.publish(new NodeCreated(Events.newId(), Events.now(), SOURCE, view.path(), view.id(),
                        parent.node().id(), view.type())).thenReturn(view));
    }

    Mono<NodeView> update(long id, NodeRequests.UpdateNodeRequest request) {
        TreeView.Versioned current = view.byId(id).orElseThrow(() -> Problems.notFound("Node", id));
        if (current.node().isRoot()) {
            return Mono.error(Problems.conflict("The root node cannot be renamed or moved."));
        }
        String path = view.pathOf(id).orElseThrow(() -> Problems.notFound("Node", id));
        String newName = request.name() != null ? request.name() : current.node().name();
        long newParent = current.node().parentId();
        Mono<Void> allowed = permissions.require(path, PRIVILEGE);
        if (request.parentPath() != null) {
            TreeView.Versioned target = view.byPath(request.parentPath())
                    .orElseThrow(() -> Problems.invalid("parentPath", "no such node: " + request.parentPath()));
            if (view.isWithin(target.node().id(), id)) {
                return Mono.error(Problems.conflict("A node cannot be moved below itself."));
            }
            newParent = target.node().id();
            allowed = allowed.then(permissions.require(request.parentPath(), PRIVILEGE));
        }
        if (newName.equals(current.node().name()) && newParent == current.node().parentId()) {
            return byId(id);
        }
        long parentId = newParent;
        long oldParent = current.node().parentId();
        return allowed
                .then(blocking(() -> store.update(current.node(), current.version(), newName, parentId)))
                .flatMap(updated -> visible(id, v -> v.node().name().equals(newName) && v.node().parentId() == parentId))
                .flatMap(view -> events.append(pathChanges, parentId != oldParent
                        ? new NodeMoved(Events.newId(), Events.now(), SOURCE, view.path(), id, path, oldParent, parentId)
                        : new NodeRenamed(Events.newId(), Events.now(), SOURCE, view.path(), id, path)).thenReturn(view));
    }

    Mono<Void> delete(long id) {
        TreeView.Versioned current = view.byId(id).orElseThrow(() -> Problems.notFound("Node", id));
        if (current.node().isRoot()) {
            return Mono.error(Problems.conflict("The root node cannot be deleted."));
        }
        if (view.hasChildren(id)) {
            return Mono.error(Problems.conflict("The node has children; delete or move them first."));
        }
        String path = view.pathOf(id).orElseThrow(() -> Problems.notFound("Node", id));
        return permissions.require(path, PRIVILEGE)
                .then(blocking(() -> {
                    store.delete(current.node(), current.version());
                    return id;
                }))
                .flatMap(gone -> awaitView(() -> view.byId(gone).isPresent() ? null : Boolean.TRUE))
                .then(events.publish(new NodeDeleted(Events.newId(), Events.now(), SOURCE, path, id)));
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

    private static <T> Mono<T> blocking(Callable<T> call) {
        return Mono.fromCallable(call).subscribeOn(Schedulers.boundedElastic());
    }
}
