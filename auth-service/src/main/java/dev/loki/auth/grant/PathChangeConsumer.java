package dev.loki.auth.grant;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.stereotype.Component;

import dev.loki.events.EventCodec;
import dev.loki.events.NodeDeleted;
import dev.loki.events.NodeMoved;
import dev.loki.events.NodePath;
import dev.loki.events.NodeRenamed;
import dev.loki.events.Streams;
import dev.loki.support.LokiProperties;
import dev.loki.support.StreamConsumer;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

/**
 * Grants and petitions are keyed by node path; when ptree-service renames or moves a node, they
 * follow it, and when it deletes one they go with it (a node re-created at the same path later starts
 * with no privileges). The changes come through a Redis Stream read by the consumer group {@code auth-service}
 * and acknowledged only once applied, so none is lost while auth-service is down (it catches up on
 * start; see {@link StreamConsumer}). Applying is idempotent.
 */
@Component
class PathChangeConsumer implements InitializingBean, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(PathChangeConsumer.class);

    static final String GROUP = "auth-service";

    private final ReactiveRedisConnectionFactory factory;
    private final ReactiveStringRedisTemplate redis;
    private final GrantRepository grants;
    private final EventCodec codec;
    private final String stream;
    private Disposable subscription;

    PathChangeConsumer(ReactiveRedisConnectionFactory factory, ReactiveStringRedisTemplate redis, GrantRepository grants,
                       EventCodec codec, LokiProperties properties) {
        this.factory = factory;
        this.redis = redis;
        this.grants = grants;
        this.codec = codec;
        this.stream = properties.redis().keyPrefix() + Streams.PTREE_PATH_CHANGES;
    }

    @Override
    public void afterPropertiesSet() {
        subscription = StreamConsumer.start(factory, redis, codec, stream, GROUP, event -> switch (event) {
            case NodeRenamed renamed -> move(renamed.oldPath(), renamed.nodePath());
            case NodeMoved moved -> move(moved.oldPath(), moved.nodePath());
            case NodeDeleted deleted -> NodePath.isValid(deleted.nodePath()) && !NodePath.of(deleted.nodePath()).isRoot()
                    ? grants.deleteSubtree(deleted.nodePath(), deleted.occurredAt()) : Mono.empty();
            default -> Mono.empty();
        });
    }

    /** An entry whose paths are no tree paths cannot be applied, now or later: it is dropped (and logged), never retried forever. */
    private Mono<Void> move(String oldPath, String newPath) {
        if (!NodePath.isValid(oldPath) || !NodePath.isValid(newPath) || NodePath.of(oldPath).isRoot()) {
            log.warn("dropped a path change that names no movable tree paths: {} -> {}", abbreviate(oldPath), abbreviate(newPath));
            return Mono.empty();
        }
        return grants.movePaths(oldPath, newPath);
    }

    private static String abbreviate(String path) {
        return path == null || path.length() <= 80 ? path : path.substring(0, 80) + "…(" + path.length() + " characters)";
    }

    @Override
    public void destroy() {
        if (subscription != null) {
            subscription.dispose();
        }
    }
}
