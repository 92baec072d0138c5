package dev.loki.alarm.notify;

import java.time.LocalDateTime;
import java.util.List;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;

import dev.loki.support.Page;
import dev.loki.support.Times;
import io.r2dbc.spi.Readable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Channels and subscriptions. */
@Repository
class ChannelRepository {

    private static final String SUBSCRIPTION = "id, node_path, channel_id, min_severity, escalate_after_seconds, repeat_seconds, created_by, "
            + "created_at";

    private final DatabaseClient db;

    ChannelRepository(DatabaseClient db) {
        this.db = db;
    }

    /** A DataIntegrityViolationException when the name is taken. */
    Mono<Long> insertChannel(String name, String type, String target, String secret, String by) {
        var spec = db.sql("INSERT INTO channels (name, type, target, secret, created_by, created_at) VALUES (:name, :type, :target, :secret, :by, :at)")
                .bind("name", name).bind("type", type).bind("target", target).bind("by", by).bind("at", Times.utc(Times.now()));
        spec = secret == null ? spec.bindNull("secret", String.class) : spec.bind("secret", secret);
        return spec.filter(s -> s.returnGeneratedValues("id")).map(r -> r.get(0, Long.class)).one();
    }

    Mono<Channel> channel(long id) {
        return db.sql("SELECT id, name, type, target, secret IS NOT NULL AS signed, created_by, created_at FROM channels WHERE id = :id")
                .bind("id", id).map(ChannelRepository::toChannel).one();
    }

    Mono<Page<Channel>> channels(int page, int size) {
        var items = db.sql("SELECT id, name, type, target, secret IS NOT NULL AS signed, created_by, created_at FROM channels ORDER BY name "
                        + "LIMIT :limit OFFSET :offset").bind("limit", size).bind("offset", (long) page * size)
                .map(ChannelRepository::toChannel).all().collectList();
        var total = db.sql("SELECT COUNT(*) FROM channels").map(r -> r.get(0, Long.class)).one();
        return Mono.zip(items, total).map(t -> new Page<>(t.getT1(), page, size, t.getT2()));
    }

    /** Deletes the channel with its subscriptions; its deliveries not sent yet are given up. */
    Mono<Long> deleteChannel(long id) {
        return db.sql("UPDATE deliveries SET status = 'dead', finished_at = :at, lease_owner = NULL, lease_until = NULL "
                        + "WHERE channel_id = :id AND status = 'pending'").bind("id", id).bind("at", Times.utc(Times.now())).then()
                .then(db.sql("DELETE FROM subscriptions WHERE channel_id = :id").bind("id", id).then())
                .then(db.sql("DELETE FROM channels WHERE id = :id").bind("id", id).fetch().rowsUpdated());
    }

    /** A DataIntegrityViolationException when the node already subscribes the channel. */
    Mono<Long> insertSubscription(String nodePath, long channelId, String minSeverity, Integer escalateAfter, Integer repeat, String by) {
        var spec = db.sql("INSERT INTO subscriptions (node_path, channel_id, min_severity, escalate_after_seconds, repeat_seconds, created_by, "
                        + "created_at) VALUES (:path, :channel, :min, :escalate, :repeat, :by, :at)")
                .bind("path", nodePath).bind("channel", channelId).bind("min", minSeverity).bind("by", by).bind("at", Times.utc(Times.now()));
        spec = escalateAfter == null ? spec.bindNull("escalate", Integer.class) : spec.bind("escalate", escalateAfter);
        spec = repeat == null ? spec.bindNull("repeat", Integer.class) : spec.bind("repeat", repeat);
        return spec.filter(s -> s.returnGeneratedValues("id")).map(r -> r.get(0, Long.class)).one();
    }

    Mono<Subscription> subscription(long id) {
        return db.sql("SELECT " + SUBSCRIPTION + " FROM subscriptions WHERE id = :id")
                .bind("id", id).map(ChannelRepository::toSubscription).one();
    }

    /** Subscriptions on {@code nodePath}, its ancestors and descendants (all when null). */
    Mono<Page<Subscription>> subscriptions(String nodePath, List<String> ancestors, int page, int size) {
        String where = nodePath == null || nodePath.equals("/") ? "" : " WHERE node_path IN (:ancestors) OR node_path LIKE :below";
        var items = bind(db.sql("SELECT " + SUBSCRIPTION + " FROM subscriptions" + where
                        + " ORDER BY node_path, id LIMIT :limit OFFSET :offset"), where, ancestors, nodePath)
                .bind("limit", size).bind("offset", (long) page * size).map(ChannelRepository::toSubscription).all().collectList();
        var total = bind(db.sql("SELECT COUNT(*) FROM subscriptions" + where), where, ancestors, nodePath).map(r -> r.get(0, Long.class)).one();
        return Mono.zip(items, total).map(t -> new Page<>(t.getT1(), page, size, t.getT2()));
    }

    private static DatabaseClient.GenericExecuteSpec bind(DatabaseClient.GenericExecuteSpec spec, String where, List<String> ancestors, String path) {
        return where.isEmpty() ? spec : spec.bind("ancestors", ancestors).bind("below", dev.loki.events.NodePath.sqlLikeBelow(path));
    }

    Mono<Long> deleteSubscription(long id) {
        return db.sql("DELETE FROM subscriptions WHERE id = :id").bind("id", id).fetch().rowsUpdated();
    }

    /** Whether any subscription escalates or repeats (else there is nothing to look for). */
    Mono<Boolean> anyEscalating() {
        return db.sql("SELECT 1 FROM subscriptions WHERE escalate_after_seconds IS NOT NULL OR repeat_seconds IS NOT NULL LIMIT 1")
                .map(r -> true).one().defaultIfEmpty(false);
    }

    /** The subscriptions that cover {@code nodePath} (on it or an ancestor). */
    Flux<Subscription> covering(List<String> selfAndAncestors) {
        return db.sql("SELECT " + SUBSCRIPTION + " FROM subscriptions WHERE node_path IN (:paths)").bind("paths", selfAndAncestors)
                .map(ChannelRepository::toSubscription).all();
    }

    private static Channel toChannel(Readable r) {
        Number signed = r.get("signed", Number.class);
        return new Channel(r.get("id", Long.class), r.get("name", String.class), r.get("type", String.class),
                Channel.masked(r.get("target", String.class)), signed != null && signed.intValue() != 0, r.get("created_by", String.class),
                Times.instant(r.get("created_at", LocalDateTime.class)));
    }

    private static Subscription toSubscription(Readable r) {
        return new Subscription(r.get("id", Long.class), r.get("node_path", String.class), r.get("channel_id", Long.class),
                r.get("min_severity", String.class), r.get("escalate_after_seconds", Integer.class), r.get("repeat_seconds", Integer.class),
                r.get("created_by", String.class), Times.instant(r.get("created_at", LocalDateTime.class)));
    }
}
