package dev.loki.ptree.system;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.curator.CuratorConnectionLossException;
import org.apache.curator.RetryPolicy;
import org.apache.curator.RetrySleeper;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

import dev.loki.support.LokiProblem;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Runs blocking ZooKeeper writes off the event loop and turns "ZooKeeper is not there" into a clean
 * 503: refused at once while the client is disconnected, and bounded in time ({@link #LIMIT}) when
 * the connection drops mid-call. Reads never come here: they answer from the in-memory views, which
 * keep their last state.
 *
 * <p>A write whose caller got the 503 must not commit later (issue 11, item 19). When its time is up
 * the call is cancelled, which interrupts the worker thread, and Curator stops retrying an interrupted
 * operation. One window stays open that way: a retry made while the client reconnects is queued in the
 * ZooKeeper client and sent once the connection is back, whether or not anyone still waits for it.
 * So the retry policy of this service's client ({@link #noRetryOnceAbandoned}) lets a call made here
 * retry only while its caller still waits and the client is connected at that moment (the retry is
 * sent at once, never queued). What remains is ZooKeeper's own ambiguity: an attempt already on the
 * wire when the connection dropped may have been applied, which the 503's detail tells the caller.
 */
@Component
public class ZooKeeperCalls {

    static final Duration LIMIT = Duration.ofSeconds(4);

    /** The call the current thread runs, while it runs one. */
    private static final ThreadLocal<Running> RUNNING = new ThreadLocal<>();

    private record Running(AtomicBoolean abandoned, CuratorFramework zk) {
        boolean mayRetry() {
            return !abandoned.get() && zk.getZookeeperClient().isConnected();
        }
    }

    private final CuratorFramework zk;

    ZooKeeperCalls(CuratorFramework zk) {
        this.zk = zk;
    }

    public <T> Mono<T> call(Callable<T> call) {
        return Mono.defer(() -> {
            if (!zk.getZookeeperClient().isConnected()) {
                return Mono.error(unavailable());
            }
            AtomicBoolean abandoned = new AtomicBoolean();
            return Mono.fromCallable(() -> {
                        RUNNING.set(new Running(abandoned, zk));
                        try {
                            return call.call();
                        } finally {
                            RUNNING.remove();
                        }
                    })
                    .subscribeOn(Schedulers.boundedElastic())
                    .timeout(LIMIT)
                    .doOnError(TimeoutException.class, e -> abandoned.set(true))
                    .doOnCancel(() -> abandoned.set(true));
        }).onErrorMap(ZooKeeperCalls::isOutage, e -> unavailable());
    }

    /**
     * The retry policy of ptree-service's Curator client: {@code standard}, except that a call made
     * through this class is tried again only while its caller waits and the client is connected.
     */
    static RetryPolicy noRetryOnceAbandoned(RetryPolicy standard) {
        return new RetryPolicy() {
            @Override
            public boolean allowRetry(int retryCount, long elapsedTimeMs, RetrySleeper sleeper) {
                Running running = RUNNING.get();
                if (running != null && !running.mayRetry()) {
                    return false;
                }
                // checked again after the back-off sleep, which may have outlasted the caller or the connection
                return standard.allowRetry(retryCount, elapsedTimeMs, sleeper) && (running == null || running.mayRetry());
            }

            @Override
            public boolean allowRetry(Throwable exception) {
                return standard.allowRetry(exception);
            }
        };
    }

    private static boolean isOutage(Throwable e) {
        return e instanceof TimeoutException || e instanceof CuratorConnectionLossException
                || e instanceof KeeperException.ConnectionLossException || e instanceof KeeperException.SessionExpiredException
                || e instanceof KeeperException.OperationTimeoutException;
    }

    private static LokiProblem unavailable() {
        return new LokiProblem(HttpStatus.SERVICE_UNAVAILABLE, "tree-store-unavailable", "Tree store unavailable",
                "ZooKeeper cannot be reached, so the tree cannot be changed right now; reads still answer. Try again shortly."
                        + " A change ZooKeeper was already sending when it went away may have been applied: read it before you retry.");
    }
}
