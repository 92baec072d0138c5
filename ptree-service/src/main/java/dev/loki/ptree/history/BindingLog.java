package dev.loki.ptree.history;

import java.time.Instant;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;

import dev.loki.support.Times;
import reactor.core.publisher.Mono;

/**
 * The history of bindings ({@code binding_log}), written after each change was applied in ZooKeeper. A row that
 * cannot be written is logged and skipped: the binding stands, only its history misses it.
 */
@Repository
public class BindingLog {

    private static final Logger log = LoggerFactory.getLogger(BindingLog.class);

    private final DatabaseClient db;

    BindingLog(DatabaseClient db) {
        this.db = db;
    }

    /** A binding's state, for its history: null ratio and offline for a side that does not exist (before a bind). */
    public record State(Double trafficRatio, Boolean offline) {
    }

    public Mono<Void> bound(long nodeId, String nodePath, String hostname, State after, String actor) {
        return write(nodeId, nodePath, hostname, "bound", null, after, actor);
    }

    public Mono<Void> unbound(long nodeId, String nodePath, String hostname, State before, String actor) {
        return write(nodeId, nodePath, hostname, "unbound", before, null, actor);
    }

    public Mono<Void> updated(long nodeId, String nodePath, String hostname, State before, State after, String actor) {
        return before.equals(after) ? Mono.empty() : write(nodeId, nodePath, hostname, "updated", before, after, actor);
    }

    private Mono<Void> write(long nodeId, String nodePath, String hostname, String action, State before, State after, String actor) {
        var spec = db.sql("INSERT INTO binding_log (node_id, node_path, hostname, action, before_ratio, before_offline, after_ratio, "
                        + "after_offline, actor, at) VALUES (:node, :path, :host, :action, :br, :bo, :ar, :ao, :actor, :at)")
                .bind("node", nodeId).bind("path", nodePath).bind("host", hostname).bind("action", action).bind("actor", actor)
                .bind("at", Times.utc(Instant.now()));
        spec = before == null || before.trafficRatio() == null ? spec.bindNull("br", Double.class) : spec.bind("br", before.trafficRatio());
        spec = before == null || before.offline() == null ? spec.bindNull("bo", Boolean.class) : spec.bind("bo", before.offline());
        spec = after == null || after.trafficRatio() == null ? spec.bindNull("ar", Double.class) : spec.bind("ar", after.trafficRatio());
        spec = after == null || after.offline() == null ? spec.bindNull("ao", Boolean.class) : spec.bind("ao", after.offline());
        return spec.then().onErrorResume(e -> {
            log.error("binding change {} of {} on {} was applied but could not be recorded: {}", action, hostname, nodePath, e.toString());
            return Mono.empty();
        });
    }
}
