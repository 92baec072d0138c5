package dev.loki.alarm.alarm;

import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;

import dev.loki.events.NodePath;
import dev.loki.support.Page;
import dev.loki.support.Times;
import io.r2dbc.spi.Readable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** Alarms and their activity; every write runs inside the caller's transaction. */
@Repository
class AlarmRepository {

    private static final String COLUMNS = "id, fingerprint, node_path, hostname, rule_id, rule_name, severity, title, description, labels, "
            + "status, count, source, first_seen_at, last_seen_at, acknowledged_by, acknowledged_at, resolved_by, resolved_at, resolution, "
            + "muted_by_deployment, muted_by_version";
    private static final TypeReference<TreeMap<String, String>> LABELS = new TypeReference<>() {
    };

    private final DatabaseClient db;
    private final JsonMapper json = JsonMapper.builder().build();

    AlarmRepository(DatabaseClient db) {
        this.db = db;
    }

    Mono<Alarm> find(long id) {
        return db.sql("SELECT " + COLUMNS + " FROM alarms WHERE id = :id").bind("id", id).map(this::alarm).one();
    }

    /** The alarm, its row locked until the transaction ends. */
    Mono<Alarm> lock(long id) {
        return db.sql("SELECT " + COLUMNS + " FROM alarms WHERE id = :id FOR UPDATE").bind("id", id).map(this::alarm).one();
    }

    /** The open alarm of {@code fingerprint}, locked until the transaction ends. */
    Mono<Alarm> lockOpen(String fingerprint) {
        return db.sql("SELECT " + COLUMNS + " FROM alarms WHERE open_fingerprint = :fp FOR UPDATE").bind("fp", fingerprint)
                .map(this::alarm).one();
    }

    /** The open alarm of {@code fingerprint}, read without a lock. */
    Mono<Alarm> findOpen(String fingerprint) {
        return db.sql("SELECT " + COLUMNS + " FROM alarms WHERE open_fingerprint = :fp").bind("fp", fingerprint).map(this::alarm).one();
    }

    /** The newest alarm of {@code fingerprint} resolved at or after {@code since}, locked. */
    Mono<Alarm> lockResolvedSince(String fingerprint, Instant since) {
        return db.sql("SELECT " + COLUMNS + " FROM alarms WHERE fingerprint = :fp AND open_fingerprint IS NULL AND resolved_at >= :since "
                        + "ORDER BY resolved_at DESC LIMIT 1 FOR UPDATE")
                .bind("fp", fingerprint).bind("since", Times.utc(since)).map(this::alarm).one();
    }

    Mono<Page<Alarm>> search(String status, String nodePath, String severity, String hostname, int page, int size) {
        List<String> where = new ArrayList<>();
        Map<String, Object> binds = new java.util.HashMap<>();
        if (status != null) {
            where.add("status = :status");
            binds.put("status", status);
        }
        if (severity != null) {
            where.add("severity = :severity");
            binds.put("severity", severity);
        }
        if (hostname != null) {
            where.add("hostname = :hostname");
            binds.put("hostname", hostname);
        }
        if (nodePath != null && !nodePath.equals("/")) {
            where.add("(node_path = :path OR node_path LIKE :below)");
            binds.put("path", nodePath);
            binds.put("below", NodePath.sqlLikeBelow(nodePath));
        }
        String clause = where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where);
        var items = bind(db.sql("SELECT " + COLUMNS + " FROM alarms" + clause + " ORDER BY last_seen_at DESC, id DESC LIMIT :limit OFFSET :offset"), binds)
                .bind("limit", size).bind("offset", (long) page * size).map(this::alarm).all().collectList();
        var total = bind(db.sql("SELECT COUNT(*) FROM alarms" + clause), binds).map(r -> r.get(0, Long.class)).one();
        return Mono.zip(items, total).map(t -> new Page<>(t.getT1(), page, size, t.getT2()));
    }

    private static DatabaseClient.GenericExecuteSpec bind(DatabaseClient.GenericExecuteSpec spec, Map<String, Object> binds) {
        for (Map.Entry<String, Object> e : binds.entrySet()) {
            spec = spec.bind(e.getKey(), e.getValue());
        }
        return spec;
    }

    /** A new open alarm; a DataIntegrityViolationException when one of its fingerprint is open already. */
    Mono<Long> insert(Signal s) {
        var spec = db.sql("INSERT INTO alarms (fingerprint, open_fingerprint, node_path, hostname, rule_id, rule_name, severity, title, "
                        + "description, labels, status, count, source, first_seen_at, last_seen_at) VALUES (:fp, :fp, :path, :host, :ruleId, "
                        + ":ruleName, :severity, :title, :description, :labels, 'firing', 1, :source, :at, :at)")
                .bind("fp", s.fingerprint()).bind("path", s.nodePath()).bind("severity", s.severity()).bind("title", s.title())
                .bind("labels", json.writeValueAsString(new TreeMap<>(s.labels()))).bind("source", s.source()).bind("at", Times.utc(s.at()));
        spec = nullable(spec, "host", s.hostname(), String.class);
        spec = nullable(spec, "ruleId", s.ruleId(), Long.class);
        spec = nullable(spec, "ruleName", s.ruleName(), String.class);
        spec = nullable(spec, "description", s.description(), String.class);
        return spec.filter(st -> st.returnGeneratedValues("id")).map(r -> r.get(0, Long.class)).one();
    }

    /** Another report of an open alarm: counted, and what it says now (severity, title, labels) kept. */
    Mono<Void> repeat(long id, Signal s) {
        var spec = db.sql("UPDATE alarms SET count = count + 1, last_seen_at = GREATEST(last_seen_at, :at), severity = :severity, "
                        + "title = :title, description = :description, labels = :labels WHERE id = :id")
                .bind("id", id).bind("at", Times.utc(s.at())).bind("severity", s.severity()).bind("title", s.title())
                .bind("labels", json.writeValueAsString(new TreeMap<>(s.labels())));
        return nullable(spec, "description", s.description(), String.class).then();
    }

    /** A resolved alarm opened again; a DataIntegrityViolationException when one of its fingerprint is open already. */
    Mono<Void> reopen(long id, Signal s) {
        var spec = db.sql("UPDATE alarms SET open_fingerprint = fingerprint, status = 'firing', count = count + 1, last_seen_at = :at, "
                        + "severity = :severity, title = :title, description = :description, labels = :labels, acknowledged_by = NULL, "
                        + "acknowledged_at = NULL, resolved_by = NULL, resolved_at = NULL, resolution = NULL WHERE id = :id")
                .bind("id", id).bind("at", Times.utc(s.at())).bind("severity", s.severity()).bind("title", s.title())
                .bind("labels", json.writeValueAsString(new TreeMap<>(s.labels())));
        return nullable(spec, "description", s.description(), String.class).then();
    }

    Mono<Void> acknowledge(long id, String by, Instant at) {
        return db.sql("UPDATE alarms SET status = 'acknowledged', acknowledged_by = :by, acknowledged_at = :at WHERE id = :id")
                .bind("id", id).bind("by", by).bind("at", Times.utc(at)).then();
    }

    Mono<Void> resolve(long id, String by, String resolution, Instant at) {
        var spec = db.sql("UPDATE alarms SET status = 'resolved', open_fingerprint = NULL, resolved_at = :at, resolution = :resolution, "
                        + "resolved_by = :by WHERE id = :id")
                .bind("id", id).bind("at", Times.utc(at)).bind("resolution", resolution);
        return nullable(spec, "by", by, String.class).then();
    }

    /** Alarms on {@code oldPath} and below now sit on {@code newPath} and below (their node was renamed or moved). */
    Mono<Void> movePaths(String oldPath, String newPath) {
        return db.sql("UPDATE alarms SET node_path = CONCAT(:new, SUBSTRING(node_path, :from)) WHERE node_path = :old OR node_path LIKE :below")
                .bind("new", newPath).bind("from", oldPath.length() + 1).bind("old", oldPath).bind("below", NodePath.sqlLikeBelow(oldPath))
                .then();
    }

    /** The open alarms on {@code path} and below raised until {@code until}, locked. */
    Flux<Alarm> lockOpenBelow(String path, Instant until) {
        return db.sql("SELECT " + COLUMNS + " FROM alarms WHERE (node_path = :p OR node_path LIKE :below) AND open_fingerprint IS NOT NULL "
                        + "AND first_seen_at <= :until FOR UPDATE")
                .bind("p", path).bind("below", NodePath.sqlLikeBelow(path)).bind("until", Times.utc(until)).map(this::alarm).all();
    }

    /** The open alarms of {@code hostname}, locked. */
    Flux<Alarm> lockOpenOfHost(String hostname) {
        return db.sql("SELECT " + COLUMNS + " FROM alarms WHERE hostname = :host AND open_fingerprint IS NOT NULL FOR UPDATE")
                .bind("host", hostname).map(this::alarm).all();
    }

    /** The open alarms of {@code status} per node (see {@link AlarmSummary}). */
    Mono<AlarmSummary> summary(String status) {
        var nodes = db.sql("SELECT node_path, COUNT(*) AS n, MAX(FIELD(severity, 'info', 'warning', 'critical')) AS worst FROM alarms "
                        + "WHERE open_fingerprint IS NOT NULL AND status = :status GROUP BY node_path ORDER BY n DESC, node_path LIMIT :limit")
                .bind("status", status).bind("limit", AlarmSummary.MAX_NODES)
                .map(r -> new AlarmSummary.NodeCount(r.get("node_path", String.class), r.get("n", Long.class),
                        List.of("info", "warning", "critical").get(Math.max(0, r.get("worst", Number.class).intValue() - 1))))
                .all().collectList();
        var total = db.sql("SELECT COUNT(*) FROM alarms WHERE open_fingerprint IS NOT NULL AND status = :status").bind("status", status)
                .map(r -> r.get(0, Long.class)).one();
        return Mono.zip(total, nodes).map(t -> new AlarmSummary(status, t.getT1(), t.getT2()));
    }

    Mono<Void> record(long alarmId, Instant at, String actor, String action, String text) {
        var spec = db.sql("INSERT INTO alarm_activity (alarm_id, at, actor, action, text) VALUES (:id, :at, :actor, :action, :text)")
                .bind("id", alarmId).bind("at", Times.utc(at)).bind("action", action);
        spec = nullable(spec, "actor", actor, String.class);
        return nullable(spec, "text", text, String.class).then();
    }

    /** At most the newest 500 entries, oldest first. */
    Flux<Alarm.Activity> activity(long alarmId) {
        return db.sql("SELECT at, actor, action, text FROM (SELECT id, at, actor, action, text FROM alarm_activity WHERE alarm_id = :id "
                        + "ORDER BY id DESC LIMIT 500) newest ORDER BY id")
                .bind("id", alarmId)
                .map(r -> new Alarm.Activity(Times.instant(r.get("at", LocalDateTime.class)), r.get("actor", String.class),
                        r.get("action", String.class), r.get("text", String.class)))
                .all();
    }

    /** Marks a stream entry applied; false when it was already (a redelivery). */
    Mono<Boolean> markApplied(String eventId, Instant at) {
        return db.sql("INSERT IGNORE INTO applied_events (event_id, applied_at) VALUES (:id, :at)").bind("id", eventId)
                .bind("at", Times.utc(at)).fetch().rowsUpdated().map(n -> n > 0);
    }

    /** Forgets applied entries older than {@code before}: the stream no longer redelivers them. */
    Mono<Long> forgetAppliedBefore(Instant before) {
        return db.sql("DELETE FROM applied_events WHERE applied_at < :before").bind("before", Times.utc(before)).fetch().rowsUpdated();
    }

    private static <T> DatabaseClient.GenericExecuteSpec nullable(DatabaseClient.GenericExecuteSpec spec, String name, T value, Class<T> type) {
        return value == null ? spec.bindNull(name, type) : spec.bind(name, value);
    }

    private Alarm alarm(Readable r) {
        Long ruleId = r.get("rule_id", Long.class);
        Long mutedBy = r.get("muted_by_deployment", Long.class);
        String labels = r.get("labels", String.class);
        return new Alarm(r.get("id", Long.class), r.get("fingerprint", String.class), r.get("node_path", String.class),
                r.get("hostname", String.class), ruleId == null ? null : new Alarm.Rule(ruleId, r.get("rule_name", String.class)),
                r.get("severity", String.class), r.get("title", String.class), r.get("description", String.class),
                labels == null ? Map.of() : json.readValue(labels, LABELS), r.get("status", String.class), r.get("count", Long.class),
                r.get("source", String.class), instant(r, "first_seen_at"), instant(r, "last_seen_at"), r.get("acknowledged_by", String.class),
                instant(r, "acknowledged_at"), r.get("resolved_by", String.class), instant(r, "resolved_at"), r.get("resolution", String.class),
                mutedBy == null ? null : new Alarm.Deployment(mutedBy, r.get("muted_by_version", String.class)), null, null, null, null);
    }

    private static Instant instant(Readable r, String column) {
        LocalDateTime value = r.get(column, LocalDateTime.class);
        return value == null ? null : Times.instant(value);
    }
}
