package dev.loki.support;

import java.time.Duration;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.connection.stream.ReadOffset;
import org.springframework.data.redis.connection.stream.StreamOffset;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.data.redis.stream.StreamReceiver;

import dev.loki.events.ChangeLogPage;
import dev.loki.events.EventCodec;
import dev.loki.events.LokiEvent;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * Follows another service's authoritative change log ({@link ChangeLogPage}, e.g. ptree-service's path
 * changes) and applies each entry exactly once, in the log's order, however many replicas follow it:
 *
 * <ul>
 *   <li>the position (the last applied sequence) is a row of {@code change_log_positions} in the
 *       follower's own database; an entry is applied in one transaction with moving the position, under
 *       the row's lock, and only if it lies beyond it — so replicas never apply one twice or out of order;</li>
 *   <li>entries come from the log's owner, never from Redis: a forged stream entry changes nothing;</li>
 *   <li>the owner's Redis stream only wakes the follower up; it also polls every {@code pollInterval},
 *       so a change whose stream entry was lost still applies, just later.</li>
 * </ul>
 *
 * {@code apply} runs inside the transaction (use the same {@link DatabaseClient}); an entry it cannot
 * apply, now or ever, should complete empty (log it) rather than fail, or the log stops there. A failure
 * (a store away) leaves the position where it was and is tried again at the next wake-up or poll.
 */
public final class ChangeLogFollower {

    private static final Logger log = LoggerFactory.getLogger(ChangeLogFollower.class);
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(5);
    private static final int PAGE = 500;

    private final String name;
    private final WebClient source;
    private final String sourcePath;
    private final DatabaseClient db;
    private final TransactionalOperator tx;
    private final EventCodec codec;
    private final Function<LokiEvent, Mono<Void>> apply;
    private volatile long warnedGapAt = -1;
    private volatile boolean failing;
    /** Whether this follower's position row is known to exist (made once per process, not at every poll). */
    private volatile boolean positioned;

    private ChangeLogFollower(String name, WebClient source, String sourcePath, DatabaseClient db, TransactionalOperator tx,
                              EventCodec codec, Function<LokiEvent, Mono<Void>> apply) {
        this.name = name;
        this.source = source;
        this.sourcePath = sourcePath;
        this.db = db;
        this.tx = tx;
        this.codec = codec;
        this.apply = apply;
    }

    /**
     * Starts following; dispose the answer to stop.
     *
     * @param name the log's name, the key of the position row (e.g. {@code ptree.path-changes})
     * @param source a client whose base URL is the log owner's
     * @param sourcePath the log's path there (answers {@link ChangeLogPage} for {@code ?after=&limit=})
     * @param stream the Redis stream (full key) the owner appends to after each change
     */
    public static Disposable start(String name, WebClient source, String sourcePath, String stream, Duration pollInterval,
                                   ReactiveRedisConnectionFactory redis, DatabaseClient db, TransactionalOperator tx, EventCodec codec,
                                   Function<LokiEvent, Mono<Void>> apply) {
        ChangeLogFollower follower = new ChangeLogFollower(name, source, sourcePath, db, tx, codec, apply);
        StreamReceiver<String, ?> receiver = StreamReceiver.create(redis,
                StreamReceiver.StreamReceiverOptions.builder().pollTimeout(Duration.ofSeconds(1)).build());
        Flux<Object> wakeUps = Flux.defer(() -> receiver.receive(StreamOffset.create(stream, ReadOffset.latest())))
                .cast(Object.class)
                .retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofSeconds(1)).maxBackoff(Duration.ofSeconds(30))
                        .doBeforeRetry(s -> log.debug("change log {}: stream {} unreadable ({}); polling meanwhile", name, stream,
                                s.failure().toString())));
        return Flux.merge(Flux.interval(Duration.ZERO, pollInterval).cast(Object.class), wakeUps)
                .onBackpressureLatest()
                .concatMap(trigger -> follower.catchUp()
                        .doOnSuccess(done -> follower.recovered())
                        .onErrorResume(e -> {
                            follower.failed(e);
                            return Mono.empty();
                        }), 1)
                .subscribe();
    }

    /** The first failure in a row is a warning, the rest (every poll while the source is away) debug. */
    private void failed(Throwable e) {
        if (failing) {
            log.debug("change log {}: still failing: {}", name, e.toString());
        } else {
            failing = true;
            log.warn("change log {}: catching up failed, trying again at every poll: {}", name, e.toString());
        }
    }

    private void recovered() {
        if (failing) {
            failing = false;
            log.info("change log {}: caught up again", name);
        }
    }

    /** Applies everything after the stored position, page by page. */
    Mono<Void> catchUp() {
        Mono<Void> row = positioned ? Mono.empty()
                : db.sql("INSERT IGNORE INTO change_log_positions (name, position) VALUES (:name, 0)").bind("name", name).then()
                        .doOnSuccess(done -> positioned = true);
        return row.then(position())
                .flatMap(position -> fetch(position).flatMap(page -> {
                    if (position < page.prunedThrough() && warnedGapAt != page.prunedThrough()) {
                        warnedGapAt = page.prunedThrough();
                        log.warn("change log {}: entries up to {} were pruned before this service applied them (it stands at {})",
                                name, page.prunedThrough(), position);
                    }
                    return Flux.fromIterable(page.items()).concatMap(this::applyOnce).then(Mono.just(page.items().size() == PAGE));
                }))
                .flatMap(full -> full ? catchUp() : Mono.empty());
    }

    private Mono<Long> position() {
        return db.sql("SELECT position FROM change_log_positions WHERE name = :name").bind("name", name)
                .map(row -> row.get(0, Long.class)).one().defaultIfEmpty(0L);
    }

    private Mono<ChangeLogPage> fetch(long after) {
        return source.get().uri(b -> b.path(sourcePath).queryParam("after", after).queryParam("limit", PAGE).build())
                .retrieve().bodyToMono(ChangeLogPage.class).timeout(CALL_TIMEOUT);
    }

    /** In one transaction: lock the position, apply the entry if it lies beyond it, move the position. */
    private Mono<Void> applyOnce(ChangeLogPage.Entry entry) {
        Mono<Void> work = db.sql("SELECT position FROM change_log_positions WHERE name = :name FOR UPDATE").bind("name", name)
                .map(row -> row.get(0, Long.class)).one()
                .flatMap(position -> entry.sequence() <= position ? Mono.<Void>empty()
                        : codec.decode(entry.event()).map(apply).orElseGet(() -> {
                            log.warn("change log {}: entry {} is no event this service knows; skipped", name, entry.sequence());
                            return Mono.empty();
                        }).then(db.sql("UPDATE change_log_positions SET position = :seq WHERE name = :name")
                                .bind("seq", entry.sequence()).bind("name", name).then()));
        return tx.transactional(work);
    }
}
