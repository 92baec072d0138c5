package dev.loki.ptree.system;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeoutException;

import org.apache.curator.CuratorConnectionLossException;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

import dev.loki.support.LokiProblem;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Runs blocking ZooKeeper writes off the event loop and turns "ZooKeeper is not there" into a clean
 * 503: refused at once while the client is disconnected, and bounded in time when the connection drops
 * mid-call. Reads never come here: they answer from the in-memory views, which keep their last state.
 */
@Component
public class ZooKeeperCalls {

    private static final Duration LIMIT = Duration.ofSeconds(8);

    private final CuratorFramework zk;

    ZooKeeperCalls(CuratorFramework zk) {
        this.zk = zk;
    }

    public <T> Mono<T> call(Callable<T> call) {
        return Mono.defer(() -> zk.getZookeeperClient().isConnected()
                        ? Mono.fromCallable(call).subscribeOn(Schedulers.boundedElastic())
                        : Mono.error(unavailable()))
                .timeout(LIMIT)
                .onErrorMap(ZooKeeperCalls::isOutage, e -> unavailable());
    }

    private static boolean isOutage(Throwable e) {
        return e instanceof TimeoutException || e instanceof CuratorConnectionLossException
                || e instanceof KeeperException.ConnectionLossException || e instanceof KeeperException.SessionExpiredException
                || e instanceof KeeperException.OperationTimeoutException;
    }

    private static LokiProblem unavailable() {
        return new LokiProblem(HttpStatus.SERVICE_UNAVAILABLE, "tree-store-unavailable", "Tree store unavailable",
                "ZooKeeper cannot be reached, so the tree cannot be changed right now; reads still answer. Try again shortly.");
    }
}
