package dev.loki.ptree.binding;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.stereotype.Component;

import dev.loki.events.EventCodec;
import dev.loki.events.ServerDeleted;
import dev.loki.events.ServerStatusChanged;
import dev.loki.events.Streams;
import dev.loki.support.LokiProperties;
import dev.loki.support.StreamConsumer;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

/**
 * When asset-service deletes a server or moves it to offline, its bindings go. The retirements come
 * through the Redis Stream {@code asset.server-retirements}, read by the consumer group
 * {@code ptree-service} and acknowledged once the bindings are gone, so a retirement that happens
 * while ptree-service is down is applied when it starts. Unbinding is idempotent and only removes
 * bindings made before the retirement, so a replayed entry never unbinds a later server of the same name.
 */
@Component
class AssetEventsListener implements InitializingBean, DisposableBean {

    static final String GROUP = "ptree-service";

    private final ReactiveRedisConnectionFactory factory;
    private final ReactiveStringRedisTemplate redis;
    private final BindingService bindings;
    private final EventCodec codec;
    private final String stream;
    private Disposable subscription;

    AssetEventsListener(ReactiveRedisConnectionFactory factory, ReactiveStringRedisTemplate redis, BindingService bindings,
                        EventCodec codec, LokiProperties loki) {
        this.factory = factory;
        this.redis = redis;
        this.bindings = bindings;
        this.codec = codec;
        this.stream = loki.redis().keyPrefix() + Streams.ASSET_SERVER_RETIREMENTS;
    }

    @Override
    public void afterPropertiesSet() {
        subscription = StreamConsumer.start(factory, redis, codec, stream, GROUP, event -> switch (event) {
            case ServerDeleted deleted -> bindings.unbindEverywhere(deleted.server().hostname(), deleted.occurredAt(), "server-deleted");
            case ServerStatusChanged changed when "offline".equals(changed.to()) ->
                    bindings.unbindEverywhere(changed.hostname(), changed.occurredAt(), "server-offline");
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
