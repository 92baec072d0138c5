package dev.loki.ptree.binding;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.ReactiveRedisMessageListenerContainer;
import org.springframework.stereotype.Component;

import dev.loki.events.EventCodec;
import dev.loki.events.EventType;
import dev.loki.events.ServerDeleted;
import dev.loki.events.ServerStatusChanged;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

/**
 * When asset-service deletes a server or moves it to offline, its bindings go. Pub/sub is
 * at-most-once: a missed event leaves a stale binding until the server is unbound by hand (a
 * reconciliation against asset-service is planned, see docs/events.md).
 */
@Component
class AssetEventsListener implements InitializingBean, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(AssetEventsListener.class);

    private final ReactiveRedisMessageListenerContainer container;
    private final BindingService bindings;
    private final EventCodec codec;
    private Disposable subscription;

    AssetEventsListener(ReactiveRedisConnectionFactory redis, BindingService bindings, EventCodec codec) {
        this.container = new ReactiveRedisMessageListenerContainer(redis);
        this.bindings = bindings;
        this.codec = codec;
    }

    @Override
    public void afterPropertiesSet() {
        subscription = container.receive(ChannelTopic.of(EventType.SERVER_DELETED.channel()),
                        ChannelTopic.of(EventType.SERVER_STATUS_CHANGED.channel()))
                .concatMap(message -> codec.decode(message.getMessage()).map(event -> switch (event) {
                    case ServerDeleted deleted -> bindings.unbindEverywhere(deleted.server().hostname(), "server-deleted");
                    case ServerStatusChanged changed when "offline".equals(changed.to()) ->
                            bindings.unbindEverywhere(changed.hostname(), "server-offline");
                    default -> Mono.<Void>empty();
                }).orElse(Mono.empty())
                        .onErrorResume(e -> {
                            log.warn("could not apply {}: {}", message.getChannel(), e.getMessage());
                            return Mono.empty();
                        }))
                .subscribe();
    }

    @Override
    public void destroy() {
        if (subscription != null) {
            subscription.dispose();
        }
        container.destroy();
    }
}
