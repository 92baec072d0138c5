package dev.loki.ptree.history;

import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.loki.events.InternalApi;
import dev.loki.events.NodePath;
import dev.loki.events.RecentTreeChanges;
import dev.loki.support.RequestParams;
import dev.loki.support.Times;
import reactor.core.publisher.Mono;

/**
 * Internal, for Loki's services (the internal token; never routed): the tree edits applied in a window on a node
 * (itself, above or below it) and the binding changes there or of some hosts — alarm-service's "what changed".
 */
@RestController
class RecentChangeController {

    static final int MAX_HOSTNAMES = 100;

    private final DatabaseClient db;
    private final tools.jackson.databind.json.JsonMapper json = tools.jackson.databind.json.JsonMapper.builder().build();

    RecentChangeController(DatabaseClient db) {
        this.db = db;
    }

    @GetMapping(InternalApi.RECENT_TREE_CHANGES)
    Mono<RecentTreeChanges> recent(@RequestParam(required = false) String path, @RequestParam(name = "hostname", required = false) List<String> hostnames,
                                   @RequestParam String since, @RequestParam String until) {
        RequestParams.Recent asked = RequestParams.recent(path, hostnames, since, until, MAX_HOSTNAMES);
        Instant from = asked.window().since();
        Instant to = asked.window().until();
        Mono<List<RecentTreeChanges.Entry>> edits = path == null ? Mono.just(List.of()) : edits(path, from, to);
        return Mono.zip(edits, bindings(path, asked.hostnames(), from, to)).map(t -> {
            List<RecentTreeChanges.Entry> all = new ArrayList<>(t.getT1());
            all.addAll(t.getT2());
            all.sort(Comparator.comparing(RecentTreeChanges.Entry::at).reversed());
            return new RecentTreeChanges(all.subList(0, Math.min(all.size(), RecentTreeChanges.LIMIT)));
        });
    }

    /** Applied (or since reverted) edits of the node, its ancestors and its subtree, when they took effect. */
    private Mono<List<RecentTreeChanges.Entry>> edits(String path, Instant since, Instant until) {
        return db.sql("SELECT kind, node_path, actor, decided_by, COALESCE(decided_at, at) AS applied_at, before_state, after_state FROM changes "
                        + "WHERE status IN ('applied', 'reverted') AND COALESCE(decided_at, at) BETWEEN :since AND :until "
                        + "AND (node_path IN (:above) OR node_path LIKE :below) ORDER BY applied_at DESC LIMIT :limit")
                .bind("since", Times.utc(since)).bind("until", Times.utc(until)).bind("above", NodePath.of(path).selfAndAncestors())
                .bind("below", NodePath.sqlLikeBelow(path)).bind("limit", RecentTreeChanges.LIMIT)
                .map(r -> {
                    String kind = r.get("kind", String.class);
                    String node = r.get("node_path", String.class);
                    String actor = r.get("decided_by", String.class) != null ? r.get("decided_by", String.class) : r.get("actor", String.class);
                    String before = pathIn(r.get("before_state", String.class));
                    String what = ("rename".equals(kind) || "move".equals(kind)) && before != null
                            ? "node " + before + " " + past(kind) + " to " + node : "node " + node + " " + past(kind);
                    return new RecentTreeChanges.Entry(Times.instant(r.get("applied_at", LocalDateTime.class)), kind, node, null, actor,
                            what + " by " + actor);
                }).all().collectList();
    }

    /** Binding changes on the node, above or below it, or of the hosts. */
    private Mono<List<RecentTreeChanges.Entry>> bindings(String path, List<String> hosts, Instant since, Instant until) {
        List<String> where = new ArrayList<>();
        if (path != null) {
            where.add("node_path IN (:above) OR node_path LIKE :below");
        }
        if (!hosts.isEmpty()) {
            where.add("hostname IN (:hosts)");
        }
        var spec = db.sql("SELECT node_path, hostname, action, before_ratio, before_offline, after_ratio, after_offline, actor, at FROM binding_log "
                        + "WHERE at BETWEEN :since AND :until AND (" + String.join(" OR ", where) + ") ORDER BY at DESC LIMIT :limit")
                .bind("since", Times.utc(since)).bind("until", Times.utc(until)).bind("limit", RecentTreeChanges.LIMIT);
        if (path != null) {
            spec = spec.bind("above", NodePath.of(path).selfAndAncestors()).bind("below", NodePath.sqlLikeBelow(path));
        }
        if (!hosts.isEmpty()) {
            spec = spec.bind("hosts", hosts);
        }
        return spec.map(r -> {
            String node = r.get("node_path", String.class);
            String host = r.get("hostname", String.class);
            String action = r.get("action", String.class);
            String actor = r.get("actor", String.class);
            String what = switch (action) {
                case "bound" -> host + " bound to " + node;
                case "unbound" -> host + " unbound from " + node;
                default -> host + " on " + node + ": " + difference(r.get("before_ratio", Double.class), r.get("after_ratio", Double.class),
                        r.get("before_offline", Boolean.class), r.get("after_offline", Boolean.class));
            };
            return new RecentTreeChanges.Entry(Times.instant(r.get("at", LocalDateTime.class)), "updated".equals(action) ? "binding" : action,
                    node, host, actor, what + " by " + actor);
        }).all().collectList();
    }

    private static String difference(Double ratioBefore, Double ratioAfter, Boolean offlineBefore, Boolean offlineAfter) {
        List<String> parts = new ArrayList<>();
        if (ratioBefore != null && ratioAfter != null && !ratioBefore.equals(ratioAfter)) {
            parts.add("traffic ratio " + ratioBefore + " → " + ratioAfter);
        }
        if (offlineBefore != null && offlineAfter != null && !offlineBefore.equals(offlineAfter)) {
            parts.add(offlineAfter ? "taken out of traffic (offline)" : "back in traffic");
        }
        return String.join(", ", parts);
    }

    /** The path a recorded node state had. */
    private String pathIn(String state) {
        if (state == null) {
            return null;
        }
        String path = json.readTree(state).path("path").asString("");
        return path.isEmpty() ? null : path;
    }

    private static String past(String kind) {
        return switch (kind) {
            case "create" -> "created";
            case "rename" -> "renamed";
            case "move" -> "moved";
            case "delete" -> "deleted";
            default -> kind;
        };
    }
}
