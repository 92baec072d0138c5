package dev.loki.alarm.notify;

import java.time.Instant;
import java.time.LocalDateTime;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;

import dev.loki.support.Times;
import io.r2dbc.spi.Readable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The delivery outbox and its attempts. */
@Repository
class DeliveryRepository {

    private final DatabaseClient db;

    DeliveryRepository(DatabaseClient db) {
        this.db = db;
    }

    /** What a replica sends: the delivery, with its channel's target and secret. */
    record Due(long id, String idempotencyKey, String body, int attempts, Instant createdAt, String type, String target, String secret) {
    }

    /** Takes up to {@code limit} due deliveries no live lease holds, for {@code owner} until {@code until}. */
    Mono<Long> claim(String owner, Instant now, Instant until, int limit) {
        return db.sql("UPDATE deliveries SET lease_owner = :owner, lease_until = :until WHERE status = 'pending' AND next_attempt_at <= :now "
                        + "AND (lease_until IS NULL OR lease_until < :now) ORDER BY next_attempt_at LIMIT :limit")
                .bind("owner", owner).bind("until", Times.utc(until)).bind("now", Times.utc(now)).bind("limit", limit)
                .fetch().rowsUpdated();
    }

    Flux<Due> held(String owner, Instant now) {
        return db.sql("SELECT d.id, d.idempotency_key, d.body, d.attempts, d.created_at, c.type, c.target, c.secret FROM deliveries d "
                        + "JOIN channels c ON c.id = d.channel_id WHERE d.lease_owner = :owner AND d.status = 'pending' AND d.lease_until > :now")
                .bind("owner", owner).bind("now", Times.utc(now))
                .map(r -> new Due(r.get("id", Long.class), r.get("idempotency_key", String.class), r.get("body", String.class),
                        r.get("attempts", Integer.class), Times.instant(r.get("created_at", LocalDateTime.class)), r.get("type", String.class),
                        r.get("target", String.class), r.get("secret", String.class)))
                .all();
    }

    Mono<Void> attempt(long deliveryId, int attempt, Instant at, Integer statusCode, long latencyMs, String error) {
        var spec = db.sql("INSERT INTO delivery_attempts (delivery_id, attempt, at, status_code, latency_ms, error) "
                        + "VALUES (:d, :n, :at, :code, :ms, :error)")
                .bind("d", deliveryId).bind("n", attempt).bind("at", Times.utc(at)).bind("ms", latencyMs);
        spec = statusCode == null ? spec.bindNull("code", Integer.class) : spec.bind("code", statusCode);
        spec = error == null ? spec.bindNull("error", String.class) : spec.bind("error", error.length() > 500 ? error.substring(0, 500) : error);
        return spec.then();
    }

    /** Accepted: done. Only while {@code owner} still holds it (a replica whose lease lapsed changes nothing). */
    Mono<Void> sent(long id, String owner, int attempts, Instant at) {
        return db.sql("UPDATE deliveries SET status = 'sent', attempts = :n, finished_at = :at, lease_owner = NULL, lease_until = NULL "
                        + "WHERE id = :id AND lease_owner = :owner")
                .bind("id", id).bind("owner", owner).bind("n", attempts).bind("at", Times.utc(at)).then();
    }

    /** Refused or unreachable: tried again at {@code next}, or given up ({@code dead}). */
    Mono<Void> failed(long id, String owner, int attempts, Instant next, boolean dead, Instant at) {
        var spec = db.sql("UPDATE deliveries SET status = :status, attempts = :n, next_attempt_at = :next, finished_at = :finished, "
                        + "lease_owner = NULL, lease_until = NULL WHERE id = :id AND lease_owner = :owner")
                .bind("id", id).bind("owner", owner).bind("n", attempts).bind("next", Times.utc(next)).bind("status", dead ? "dead" : "pending");
        return (dead ? spec.bind("finished", Times.utc(at)) : spec.bindNull("finished", LocalDateTime.class)).then();
    }

    Flux<Delivery> ofIncident(long incidentId) {
        return db.sql("SELECT d.id, d.incident_id, d.channel_id, c.name, d.event, d.idempotency_key, d.status, d.created_at, d.finished_at "
                        + "FROM deliveries d LEFT JOIN channels c ON c.id = d.channel_id WHERE d.incident_id = :i ORDER BY d.id")
                .bind("i", incidentId).map(DeliveryRepository::delivery).all()
                .concatMap(d -> db.sql("SELECT attempt, at, status_code, latency_ms, error FROM delivery_attempts WHERE delivery_id = :d "
                                + "ORDER BY attempt LIMIT 100").bind("d", d.id())
                        .map(r -> new Delivery.Attempt(r.get("attempt", Integer.class), Times.instant(r.get("at", LocalDateTime.class)),
                                r.get("status_code", Integer.class), r.get("latency_ms", Long.class), r.get("error", String.class)))
                        .all().collectList()
                        .map(attempts -> new Delivery(d.id(), d.incidentId(), d.channelId(), d.channelName(), d.event(), d.idempotencyKey(),
                                d.status(), d.createdAt(), d.finishedAt(), attempts)));
    }

    private static Delivery delivery(Readable r) {
        LocalDateTime finished = r.get("finished_at", LocalDateTime.class);
        return new Delivery(r.get("id", Long.class), r.get("incident_id", Long.class), r.get("channel_id", Long.class), r.get("name", String.class),
                r.get("event", String.class), r.get("idempotency_key", String.class), r.get("status", String.class),
                Times.instant(r.get("created_at", LocalDateTime.class)), finished == null ? null : Times.instant(finished), null);
    }
}
