package dev.loki.ptree.log;

import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.loki.events.ChangeLogPage;
import dev.loki.ptree.system.ZooKeeperCalls;
import dev.loki.support.Problems;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import dev.loki.events.InternalApi;

/**
 * Internal, for auth-service and monitor-service: the path-change log after a position. Not routed by
 * the gateway. Also prunes the log hourly (any replica; pruning twice is harmless).
 */
@RestController
class PathChangeController implements InitializingBean, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(PathChangeController.class);
    static final int MAX_LIMIT = 1000;

    private final PathChangeLog changes;
    private final ZooKeeperCalls zk;
    private Disposable pruning;

    PathChangeController(PathChangeLog changes, ZooKeeperCalls zk) {
        this.changes = changes;
        this.zk = zk;
    }

    @GetMapping(InternalApi.PATH_CHANGES)
    Mono<ChangeLogPage> after(@RequestParam(defaultValue = "0") long after, @RequestParam(defaultValue = "500") int limit) {
        if (after < 0) {
            throw Problems.invalid("after", "must be 0 or a sequence from this log");
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw Problems.invalid("limit", "must be between 1 and " + MAX_LIMIT);
        }
        return zk.call(() -> changes.after(after, limit));
    }

    @Override
    public void afterPropertiesSet() throws Exception {
        changes.ensure();
        pruning = Flux.interval(Duration.ofMinutes(1), Duration.ofHours(1))
                .concatMap(tick -> zk.call(changes::prune)
                        .onErrorResume(e -> {
                            log.warn("pruning the path-change log failed: {}", e.toString());
                            return Mono.empty();
                        }))
                .subscribe();
    }

    @Override
    public void destroy() {
        if (pruning != null) {
            pruning.dispose();
        }
    }
}
