package dev.loki.support;

import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ValidationDepth;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * Whether the service's database answers (issue 11, item 19). R2DBC has no client-side deadline, and a
 * blanket one cannot tell a MariaDB that hangs from a statement that legitimately waits for a lock (or a
 * commit that may still land): so a watchdog pings the database over a connection of its own, every
 * {@code interval}, and declares it lost when a ping gets no answer for {@code silence}, or the
 * connection is refused or dropped. {@link #lost()} emits at that moment (at once while the database
 * is lost), and {@link LivenessBoundedConnections} cuts off what waits on the database then, and only
 * then. The next ping that is answered makes it live again; nothing needs a restart.
 */
public final class DatabaseLiveness implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DatabaseLiveness.class);

    private static final String SILENT = "no answer in time";

    private final ConnectionFactory direct;
    private final Duration silence;
    /** Completes when the database is lost; replaced by a fresh one when it answers again. */
    private final AtomicReference<Sinks.Empty<Void>> loss = new AtomicReference<>(Sinks.empty());
    private volatile boolean live = true;
    private Connection probe;
    private final Disposable watchdog;

    /**
     * @param direct a factory that opens a connection of the watchdog's own (not the pool: a pool whose
     *               connections all hang would answer nothing either)
     */
    public DatabaseLiveness(ConnectionFactory direct, Duration interval, Duration silence) {
        this.direct = direct;
        this.silence = silence;
        this.watchdog = Flux.interval(interval).onBackpressureDrop().concatMap(tick -> ping(), 1).subscribe();
    }

    /** Whether the last ping was answered. */
    public boolean live() {
        return live;
    }

    /** Emits when the database is lost — at once if it is lost now. */
    public Mono<Boolean> lost() {
        return Mono.defer(() -> loss.get().asMono()).thenReturn(Boolean.TRUE);
    }

    /** The error a call cut off by a lost database fails with (answered 503 {@code store-unavailable}). */
    TimeoutException failure() {
        return new TimeoutException("the database does not answer");
    }

    private Mono<Void> ping() {
        return Mono.defer(() -> attempt(probe != null))
                .doOnNext(failure -> {
                    if (failure.isEmpty()) {
                        becameLive();
                    } else {
                        becameLost(failure);
                    }
                })
                .then();
    }

    /**
     * One ping: "" when answered, else why not. A kept connection that turns out dead (the database
     * restarted, or a proxy dropped it) is replaced once before the database counts as lost; a ping that
     * gets no answer at all is not retried.
     */
    private Mono<String> attempt(boolean reused) {
        return Mono.defer(() -> probe != null ? Mono.just(probe) : Mono.from(direct.create()).doOnNext(c -> probe = c))
                .flatMap(connection -> Mono.from(connection.validate(ValidationDepth.REMOTE)))
                .timeout(silence)
                .map(answered -> answered ? "" : "the connection is no longer valid")
                .defaultIfEmpty("no answer")
                .onErrorResume(e -> Mono.just(e instanceof TimeoutException ? SILENT : e.toString()))
                .flatMap(failure -> {
                    if (failure.isEmpty() || !reused || failure.equals(SILENT)) {
                        return Mono.just(failure);
                    }
                    dropProbe();
                    return attempt(false);
                });
    }

    private void becameLive() {
        if (!live) {
            loss.set(Sinks.empty());
            live = true;
            log.info("the database answers again");
        }
    }

    private void becameLost(String why) {
        dropProbe();
        if (live) {
            live = false;
            loss.get().tryEmitEmpty();
            log.warn("the database does not answer ({}): calls waiting on it fail (503) until it answers again", why);
        }
    }

    private void dropProbe() {
        Connection dropped = probe;
        probe = null;
        if (dropped != null) {
            // in the background: closing a connection to a database that hangs may itself hang
            Mono.from(dropped.close()).timeout(silence).onErrorComplete().subscribe();
        }
    }

    @Override
    public void close() {
        watchdog.dispose();
        Connection last = probe;
        if (last != null) {
            Mono.from(last.close()).timeout(silence).onErrorComplete().subscribe();
        }
    }
}
