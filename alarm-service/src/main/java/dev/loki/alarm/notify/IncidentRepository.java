package dev.loki.alarm.notify;

import java.time.Instant;
import java.time.LocalDateTime;
import java.util.Map;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;

import dev.loki.support.Times;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Incidents, the alarms in them, and the deliveries they make; every write runs inside the caller's transaction. */
@Repository
class IncidentRepository {

    private static final tools.jackson.core.type.TypeReference<java.util.TreeMap<String, String>> LABELS = new tools.jackson.core.type.TypeReference<>() {
    };

    private final DatabaseClient db;
    private final tools.jackson.databind.json.JsonMapper json = tools.jackson.databind.json.JsonMapper.builder().build();

    IncidentRepository(DatabaseClient db) {
        this.db = db;
    }

    /** @param notifiedAt when it was notified; null until then */
    record Incident(long id, String nodePath, String title, String severity, String status, Instant notifiedAt) {
    }

    private static final String INCIDENT = "id, node_path, title, severity, status, notified_at";

    private static Incident toIncident(io.r2dbc.spi.Readable r) {
        LocalDateTime notified = r.get("notified_at", LocalDateTime.class);
        return new Incident(r.get("id", Long.class), r.get("node_path", String.class), r.get("title", String.class),
                r.get("severity", String.class), r.get("status", String.class), notified == null ? null : Times.instant(notified));
    }

    /** The open incident of {@code key}, locked. */
    Mono<Incident> lockOpen(String key) {
        return db.sql("SELECT " + INCIDENT + " FROM incidents WHERE open_key = :k FOR UPDATE").bind("k", key)
                .map(IncidentRepository::toIncident).one();
    }

    Mono<Incident> lock(long id) {
        return db.sql("SELECT " + INCIDENT + " FROM incidents WHERE id = :id FOR UPDATE").bind("id", id)
                .map(IncidentRepository::toIncident).one();
    }

    /** A new waiting incident; a DataIntegrityViolationException when one of the key is open. */
    Mono<Long> insert(String key, String nodePath, String title, String severity, Instant at, Instant notifyAt) {
        return db.sql("INSERT INTO incidents (group_key, open_key, node_path, title, severity, status, opened_at, notify_at) "
                        + "VALUES (:k, :k, :path, :title, :severity, 'waiting', :at, :notify)")
                .bind("k", key).bind("path", nodePath).bind("title", title).bind("severity", severity).bind("at", Times.utc(at))
                .bind("notify", Times.utc(notifyAt))
                .filter(s -> s.returnGeneratedValues("id")).map(r -> r.get(0, Long.class)).one();
    }

    Mono<Void> raiseSeverity(long id, String severity) {
        return db.sql("UPDATE incidents SET severity = :s WHERE id = :id").bind("s", severity).bind("id", id).then();
    }

    Mono<Void> attach(long alarmId, long incidentId) {
        return db.sql("UPDATE alarms SET incident_id = :i WHERE id = :a").bind("i", incidentId).bind("a", alarmId).then();
    }

    Mono<Long> openAlarms(long incidentId) {
        return db.sql("SELECT COUNT(*) FROM alarms WHERE incident_id = :i AND open_fingerprint IS NOT NULL").bind("i", incidentId)
                .map(r -> r.get(0, Long.class)).one();
    }

    /** The incident is over: no more alarms join it. */
    Mono<Void> close(long id, Instant at) {
        return db.sql("UPDATE incidents SET status = 'resolved', open_key = NULL, resolved_at = :at WHERE id = :id")
                .bind("id", id).bind("at", Times.utc(at)).then();
    }

    /** Waiting incidents whose group wait is over. */
    Flux<Long> due(Instant now, int limit) {
        return db.sql("SELECT id FROM incidents WHERE status = 'waiting' AND notify_at <= :now ORDER BY notify_at LIMIT :limit")
                .bind("now", Times.utc(now)).bind("limit", limit).map(r -> r.get(0, Long.class)).all();
    }

    /** The alarm's host runs a batch of {@code mute}'s deployment: recorded once per deployment, in its history too. */
    Mono<Void> mutedBy(long alarmId, dev.loki.events.DeployMutes.Mute mute, Instant at) {
        return db.sql("UPDATE alarms SET muted_by_deployment = :d, muted_by_version = :v WHERE id = :id "
                        + "AND (muted_by_deployment IS NULL OR muted_by_deployment <> :d)")
                .bind("id", alarmId).bind("d", mute.deploymentId()).bind("v", mute.version() == null ? "" : mute.version())
                .fetch().rowsUpdated()
                .flatMap(n -> n == 0 ? Mono.<Void>empty() : db.sql("INSERT INTO alarm_activity (alarm_id, at, actor, action, text) "
                                + "VALUES (:id, :at, NULL, 'muted', :text)").bind("id", alarmId).bind("at", Times.utc(at))
                        .bind("text", "held back: deployment " + mute.deploymentId() + " (" + mute.version() + ") is running batch "
                                + (mute.batch() + 1) + " on this host").then());
    }

    /** An open alarm without a host (a node-level one, e.g. availability): it holds back host alarms beneath it. */
    record Inhibitor(long id, String nodePath, String severity) {
    }

    /** The open node-level alarms on any of {@code paths}. */
    Flux<Inhibitor> inhibitors(java.util.List<String> paths) {
        return db.sql("SELECT id, node_path, severity FROM alarms WHERE hostname IS NULL AND open_fingerprint IS NOT NULL AND node_path IN (:paths)")
                .bind("paths", paths)
                .map(r -> new Inhibitor(r.get("id", Long.class), r.get("node_path", String.class), r.get("severity", String.class))).all();
    }

    /** These alarms were in a notification. */
    Mono<Void> alarmsNotified(java.util.List<Long> ids, Instant at) {
        return ids.isEmpty() ? Mono.empty() : db.sql("UPDATE alarms SET notified_at = :at WHERE id IN (:ids)").bind("ids", ids)
                .bind("at", Times.utc(at)).then();
    }

    /** These alarms were held back (a silence, a running batch) when their incident was judged; the first time counts. */
    Mono<Void> held(java.util.List<Long> ids, Instant at) {
        return ids.isEmpty() ? Mono.empty() : db.sql("UPDATE alarms SET held_at = :at WHERE id IN (:ids) AND held_at IS NULL").bind("ids", ids)
                .bind("at", Times.utc(at)).then();
    }

    /** Notified incidents with open alarms that were held back and not notified yet: candidates for a follow-up. */
    Flux<Long> withHeldAlarms(int limit) {
        return db.sql("SELECT DISTINCT a.incident_id FROM alarms a JOIN incidents i ON i.id = a.incident_id WHERE a.held_at IS NOT NULL "
                        + "AND a.notified_at IS NULL AND a.open_fingerprint IS NOT NULL AND i.status = 'notified' LIMIT :limit")
                .bind("limit", limit).map(r -> r.get(0, Long.class)).all();
    }

    /** A waiting incident whose open alarms are all silenced is looked at again at {@code at}. */
    Mono<Void> postpone(long id, Instant at) {
        return db.sql("UPDATE incidents SET notify_at = :at WHERE id = :id AND status = 'waiting'").bind("id", id).bind("at", Times.utc(at)).then();
    }

    /** Marks a waiting incident notified; false when another replica did first. */
    Mono<Boolean> markNotified(long id, Instant at) {
        return db.sql("UPDATE incidents SET status = 'notified', notified_at = :at WHERE id = :id AND status = 'waiting'")
                .bind("id", id).bind("at", Times.utc(at)).fetch().rowsUpdated().map(n -> n > 0);
    }

    /** The incident's alarms, oldest first: what its notification says. */
    Flux<Map<String, Object>> alarms(long incidentId) {
        return db.sql("SELECT id, fingerprint, node_path, hostname, rule_name, severity, title, labels, status, count, first_seen_at, "
                        + "muted_by_deployment, muted_by_version, notified_at, held_at FROM alarms "
                        + "WHERE incident_id = :i ORDER BY first_seen_at, id").bind("i", incidentId)
                .map(r -> {
                    Map<String, Object> alarm = new java.util.LinkedHashMap<>();
                    alarm.put("id", r.get("id", Long.class));
                    alarm.put("fingerprint", r.get("fingerprint", String.class));
                    alarm.put("nodePath", r.get("node_path", String.class));
                    String host = r.get("hostname", String.class);
                    if (host != null) {
                        alarm.put("hostname", host);
                    }
                    alarm.put("severity", r.get("severity", String.class));
                    alarm.put("title", r.get("title", String.class));
                    alarm.put("status", r.get("status", String.class));
                    String rule = r.get("rule_name", String.class);
                    if (rule != null) {
                        alarm.put("rule", rule);
                    }
                    alarm.put("labels", json.readValue(r.get("labels", String.class), LABELS));
                    if (r.get("notified_at", LocalDateTime.class) != null) {
                        alarm.put("notifiedAt", Times.instant(r.get("notified_at", LocalDateTime.class)).toString());
                    }
                    if (r.get("held_at", LocalDateTime.class) != null) {
                        alarm.put("heldAt", Times.instant(r.get("held_at", LocalDateTime.class)).toString());
                    }
                    Long deployment = r.get("muted_by_deployment", Long.class);
                    if (deployment != null) {
                        Map<String, Object> d = new java.util.LinkedHashMap<>();
                        d.put("id", deployment);
                        d.put("version", r.get("muted_by_version", String.class));
                        alarm.put("deployment", d);
                    }
                    alarm.put("count", r.get("count", Long.class));
                    alarm.put("firstSeenAt", Times.instant(r.get("first_seen_at", LocalDateTime.class)).toString());
                    return alarm;
                }).all();
    }

    /** One delivery per channel; a channel that already has this one (same key) is skipped. */
    Mono<Void> insertDelivery(long incidentId, long channelId, String event, String key, String body, Instant at) {
        return db.sql("INSERT IGNORE INTO deliveries (incident_id, channel_id, event, idempotency_key, body, status, attempts, created_at, "
                        + "next_attempt_at) VALUES (:i, :c, :event, :key, :body, 'pending', 0, :at, :at)")
                .bind("i", incidentId).bind("c", channelId).bind("event", event).bind("key", key).bind("body", body).bind("at", Times.utc(at))
                .then();
    }

    /** Notified incidents with an open alarm that was told and is not acknowledged. */
    Flux<Incident> unacknowledged(int limit) {
        return db.sql("SELECT i.id, i.node_path, i.title, i.severity, i.status, i.notified_at FROM incidents i WHERE i.status = 'notified' "
                        + "AND EXISTS (SELECT 1 FROM alarms a WHERE a.incident_id = i.id AND a.status = 'firing' AND a.notified_at IS NOT NULL "
                        + "AND a.open_fingerprint IS NOT NULL) ORDER BY i.id LIMIT :limit").bind("limit", limit)
                .map(IncidentRepository::toIncident).all();
    }

    /** The channels the incident made a delivery to. */
    Flux<Long> toldChannels(long incidentId) {
        return db.sql("SELECT DISTINCT channel_id FROM deliveries WHERE incident_id = :i ORDER BY channel_id").bind("i", incidentId)
                .map(r -> r.get(0, Long.class)).all();
    }

    /** The incident the alarm is part of (its latest). */
    Mono<Long> incidentOf(long alarmId) {
        return db.sql("SELECT incident_id FROM alarms WHERE id = :a AND incident_id IS NOT NULL").bind("a", alarmId)
                .map(r -> r.get(0, Long.class)).one();
    }
}
