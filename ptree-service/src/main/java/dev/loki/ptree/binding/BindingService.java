package dev.loki.ptree.binding;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import org.springframework.stereotype.Service;

import dev.loki.events.Events;
import dev.loki.events.Privilege;
import dev.loki.events.ServerBound;
import dev.loki.events.ServerUnbound;
import dev.loki.ptree.history.BindingLog;
import dev.loki.ptree.node.TreeView;
import dev.loki.ptree.system.ZooKeeperCalls;
import dev.loki.support.Caller;
import dev.loki.support.EventPublisher;
import dev.loki.support.FieldError;
import dev.loki.support.LokiProblem;
import dev.loki.support.Permissions;
import dev.loki.support.Problems;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/** Which servers serve a node: binding rules, permission (server.manage on the node) and events. */
@Service
class BindingService {

    static final Privilege PRIVILEGE = Privilege.SERVER_MANAGE;
    static final String SOURCE = "ptree-service";

    /** A binding with the path of its node (for recursive listings). */
    record BoundServer(String hostname, double trafficRatio, boolean offline, long nodeId, String nodePath) {
    }

    private final BindingStore store;
    private final BindingView bindings;
    private final TreeView tree;
    private final AssetClient assets;
    private final Permissions permissions;
    private final EventPublisher events;
    private final ZooKeeperCalls calls;
    private final BindingLog history;

    BindingService(BindingStore store, BindingView bindings, TreeView tree, AssetClient assets,
                   Permissions permissions, EventPublisher events, ZooKeeperCalls calls, BindingLog history) {
        this.calls = calls;
        this.history = history;
        this.store = store;
        this.bindings = bindings;
        this.tree = tree;
        this.assets = assets;
        this.permissions = permissions;
        this.events = events;
    }

    Mono<List<BoundServer>> list(long nodeId, boolean recursive) {
        String path = pathOf(nodeId);
        Map<Long, String> nodes = recursive ? tree.subtreePaths(nodeId) : Map.of(nodeId, path);
        List<BoundServer> out = new ArrayList<>();
        nodes.forEach((id, p) -> bindings.onNode(id).forEach(b -> out.add(view(b, p))));
        return Mono.just(out);
    }

    Mono<List<BoundServer>> bind(long nodeId, List<String> hostnames) {
        String path = pathOf(nodeId);
        List<String> wanted = new ArrayList<>(new LinkedHashSet<>(hostnames));
        List<String> already = bindings.onNode(nodeId).stream().map(Binding::hostname).filter(wanted::contains).toList();
        if (!already.isEmpty()) {
            return Mono.error(Problems.conflict("Already bound to " + path + ": " + String.join(", ", already) + "."));
        }
        return permissions.require(path, PRIVILEGE)
                .then(mayTake(nodeId, wanted))
                .then(Caller.bearer())
                .flatMap(bearer -> assets.unknown(wanted, bearer))
                .flatMap(unknown -> unknown.isEmpty() ? Mono.<Void>empty() : Mono.error(Problems.invalid(List.of(new FieldError(
                        "hostnames", "unknown to asset-service: " + String.join(", ", unknown))))))
                .then(blocking(() -> {
                    store.bind(nodeId, store.containerVersion(nodeId), wanted);
                    return wanted;
                }))
                .flatMap(bound -> awaitBindings(nodeId, wanted, true))
                .then(actor())
                .flatMapMany(actor -> Flux.fromIterable(wanted)
                        .concatMap(h -> history.bound(nodeId, path, h, new BindingLog.State(0.0, false), actor)
                                .then(events.publish(new ServerBound(Events.newId(), Events.now(), SOURCE, path, nodeId, h, 0.0, false)))))
                .then(list(nodeId, false));
    }

    /**
     * Binding a host gives the destination's holders power over it (deploy.run there reaches it), so
     * the caller must also hold server.manage where the host serves now; a host bound nowhere is the
     * inventory's to hand out (asset.manage on {@code /}).
     */
    private Mono<Void> mayTake(long nodeId, List<String> hostnames) {
        LinkedHashSet<String> currentPaths = new LinkedHashSet<>();
        boolean anyUnbound = false;
        for (String hostname : hostnames) {
            List<Long> elsewhere = bindings.nodesOf(hostname).stream().filter(id -> id != nodeId).toList();
            if (elsewhere.isEmpty()) {
                anyUnbound = true;
            }
            elsewhere.forEach(id -> tree.pathOf(id).ifPresent(currentPaths::add));
        }
        Mono<Void> pool = anyUnbound ? permissions.require("/", Privilege.ASSET_MANAGE)
                .onErrorMap(e -> e instanceof LokiProblem p && p.getStatusCode().value() == 403,
                        e -> Problems.forbidden("Binding a server that is bound nowhere yet needs asset.manage on / (the inventory hands"
                                + " hosts out); ask its owners, or bind it where it already serves."))
                : Mono.empty();
        return pool.then(Flux.fromIterable(currentPaths).concatMap(p -> permissions.require(p, PRIVILEGE)).then());
    }

    Mono<BoundServer> update(long nodeId, String hostname, Double trafficRatio, Boolean offline) {
        String path = pathOf(nodeId);
        Binding current = bindings.onNode(nodeId).stream().filter(b -> b.hostname().equals(hostname)).findFirst()
                .orElseThrow(() -> Problems.notFound("Binding", hostname + " on " + path));
        Binding updated = new Binding(nodeId, hostname, trafficRatio != null ? trafficRatio : current.trafficRatio(),
                offline != null ? offline : current.offline());
        double others = bindings.onNode(nodeId).stream().filter(b -> !b.hostname().equals(hostname)).mapToDouble(Binding::trafficRatio).sum();
        if (others + updated.trafficRatio() > 1.0 + 1e-9) {
            return Mono.error(Problems.invalid("trafficRatio", "the ratios on " + path + " would sum to "
                    + Math.round((others + updated.trafficRatio()) * 1000) / 1000.0 + "; at most 1"));
        }
        return permissions.require(path, PRIVILEGE)
                .then(blocking(() -> {
                    store.update(nodeId, store.containerVersion(nodeId), updated);
                    return updated;
                }))
                .then(awaitBinding(updated))
                .flatMap(b -> actor().flatMap(actor -> history.updated(nodeId, path, hostname, state(current), state(b), actor)).thenReturn(b))
                .map(b -> view(b, path));
    }

    /** Who is changing a binding: the caller, or (background work) the service named. */
    private static Mono<String> actor() {
        return Caller.current().map(Caller::subject).defaultIfEmpty("ptree-service");
    }

    private static BindingLog.State state(Binding b) {
        return new BindingLog.State(b.trafficRatio(), b.offline());
    }

    /**
     * Internal, for deploy-service's drains (background work, no caller): {@code offline} on every binding
     * of {@code hostname} at {@code path} and below; answers those bindings as they are now (none: the host
     * is bound nowhere there). Setting what is already set changes nothing, so a repeated call is harmless.
     */
    Mono<List<BoundServer>> setOffline(String path, String hostname, boolean offline) {
        long root = tree.byPath(path).orElseThrow(() -> Problems.notFound("Node", path)).node().id();
        Map<Long, String> nodes = tree.subtreePaths(root);
        List<Binding> change = new ArrayList<>();
        nodes.keySet().forEach(id -> bindings.onNode(id).stream()
                .filter(b -> b.hostname().equals(hostname) && b.offline() != offline).forEach(change::add));
        return Flux.fromIterable(change)
                .concatMap(b -> {
                    Binding updated = new Binding(b.nodeId(), hostname, b.trafficRatio(), offline);
                    // the drains of a batch's hosts on one node come at once: each write re-reads the node's
                    // version, and one that lost the race to another binding's write (409) tries again
                    return blocking(() -> {
                        store.update(b.nodeId(), store.containerVersion(b.nodeId()), updated);
                        return updated;
                    }).retryWhen(Retry.backoff(19, Duration.ofMillis(2)).maxBackoff(Duration.ofMillis(100))
                                    .filter(e -> e instanceof LokiProblem p && p.getStatusCode().value() == 409)
                                    .onRetryExhaustedThrow((spec, signal) -> signal.failure()))
                            .flatMap(this::awaitBinding)
                            .flatMap(done -> history.updated(b.nodeId(), nodes.get(b.nodeId()), hostname, state(b), state(done),
                                    "deploy-service (drain)").thenReturn(done));
                })
                .then(Mono.fromCallable(() -> {
                    List<BoundServer> now = new ArrayList<>();
                    nodes.forEach((id, p) -> bindings.onNode(id).stream().filter(b -> b.hostname().equals(hostname)).forEach(b -> now.add(view(b, p))));
                    return now;
                }));
    }

    Mono<Void> unbind(long nodeId, String hostname) {
        String path = pathOf(nodeId);
        BindingLog.State before = bindings.onNode(nodeId).stream().filter(b -> b.hostname().equals(hostname)).findFirst()
                .map(BindingService::state).orElse(new BindingLog.State(null, null));
        return permissions.require(path, PRIVILEGE)
                .then(blocking(() -> store.unbind(nodeId, hostname)))
                .flatMap(existed -> existed ? awaitBindings(nodeId, List.of(hostname), false)
                        .then(actor()).flatMap(actor -> history.unbound(nodeId, path, hostname, before, actor))
                        .then(events.publish(new ServerUnbound(Events.newId(), Events.now(), SOURCE, path, nodeId, hostname, "unbound")))
                        : Mono.error(Problems.notFound("Binding", hostname + " on " + path)));
    }

    /** Unbinds a retired server from every node it was bound to before it retired (at {@code retiredAt}). */
    Mono<Void> unbindEverywhere(String hostname, Instant retiredAt, String reason) {
        return Flux.fromIterable(bindings.nodesOf(hostname))
                .concatMap(nodeId -> {
                    String path = tree.pathOf(nodeId).orElse(null);
                    BindingLog.State before = bindings.onNode(nodeId).stream().filter(b -> b.hostname().equals(hostname)).findFirst()
                            .map(BindingService::state).orElse(new BindingLog.State(null, null));
                    return blocking(() -> store.unbindIfBoundBefore(nodeId, hostname, retiredAt))
                            .filter(Boolean::booleanValue)
                            .flatMap(x -> (path == null ? Mono.<Void>empty() : history.unbound(nodeId, path, hostname, before, "asset-service (" + reason + ")"))
                                    .then(events.publish(new ServerUnbound(Events.newId(), Events.now(), SOURCE, path, nodeId, hostname, reason))));
                })
                .then();
    }

    Mono<List<Map<String, Object>>> nodesOf(String hostname) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (long nodeId : bindings.nodesOf(hostname)) {
            tree.pathOf(nodeId).ifPresent(p -> out.add(Map.of("id", nodeId, "path", p)));
        }
        return Mono.just(out);
    }

    private String pathOf(long nodeId) {
        return tree.pathOf(nodeId).orElseThrow(() -> Problems.notFound("Node", nodeId));
    }

    /** {@code binding} as this replica's view shows it once the view has caught up with the write (at most 5 s). */
    private Mono<Binding> awaitBinding(Binding binding) {
        return Mono.fromCallable(() -> bindings.onNode(binding.nodeId()).stream().filter(binding::equals).findFirst().orElse(null))
                .repeatWhenEmpty(r -> r.delayElements(Duration.ofMillis(5))).timeout(Duration.ofSeconds(5));
    }

    private Mono<Void> awaitBindings(long nodeId, List<String> hostnames, boolean present) {
        return Mono.fromCallable(() -> {
                    List<String> now = bindings.onNode(nodeId).stream().map(Binding::hostname).toList();
                    boolean done = present ? now.containsAll(hostnames) : hostnames.stream().noneMatch(now::contains);
                    return done ? Boolean.TRUE : null;
                })
                .repeatWhenEmpty(r -> r.delayElements(Duration.ofMillis(5)))
                .timeout(Duration.ofSeconds(5))
                .then();
    }

    private static BoundServer view(Binding b, String path) {
        return new BoundServer(b.hostname(), b.trafficRatio(), b.offline(), b.nodeId(), path);
    }

    private <T> Mono<T> blocking(Callable<T> call) {
        return calls.call(call);
    }
}
