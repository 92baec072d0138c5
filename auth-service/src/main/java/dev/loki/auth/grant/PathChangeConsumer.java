package dev.loki.auth.grant;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.stereotype.Component;

import dev.loki.events.EventCodec;
import dev.loki.events.NodeMoved;
import dev.loki.events.NodeRenamed;
import dev.loki.events.Streams;
import dev.loki.support.LokiProperties;
import dev.loki.support.StreamConsumer;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

/**
 * Grants and petitions are keyed by node path; when ptree-service renames or moves a node, they
 * follow it. The changes come through a Redis Stream read by the consumer group {@code auth-service}
 * and acknowledged only once applied, so none is lost while auth-service is down (it catches up on
 * start; see {@link StreamConsumer}). Applying is idempotent.
 */
@Component
class PathChangeConsumer implements InitializingBean, DisposableBean {

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
            case NodeRenamed renamed -> grants.movePaths(renamed.oldPath(), renamed.nodePath());
            case NodeMoved moved -> grants.movePaths(moved.oldPath(), moved.nodePath());
            default -> Mono.empty();
        });
    }

    @Override
    public void destroy() {
        if (subscription != null) {
            subscription.dispose();
        }
    }
}
