package dev.loki.support;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.connection.ReactiveSubscription;
import org.springframework.data.redis.listener.ReactiveRedisMessageListenerContainer;
import org.springframework.data.redis.listener.Topic;
import org.springframework.data.redis.serializer.RedisSerializationContext;
import org.springframework.data.redis.serializer.RedisSerializer;

import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.util.retry.Retry;

/**
 * The one way a service listens on Redis pub/sub: subscribes (waiting until Redis confirms), and when
 * the subscription ends with an error — Redis restarted, the connection dropped — makes a new one on
 * a fresh connection, backing off up to 10 s, for as long as the service runs. Pub/sub is at most
 * once: {@code onSubscribed} runs after every (re)subscription, so a listener can drop what it may
 * have missed meanwhile (a cache, say).
 */
public final class RedisSubscriber {

    private static final Logger log = LoggerFactory.getLogger(RedisSubscriber.class);
    private static final RedisSerializationContext.SerializationPair<String> STRINGS = RedisSerializationContext.SerializationPair.fromSerializer(
            RedisSerializer.string());

    private RedisSubscriber() {
    }

    /** Starts listening; dispose the answer to stop (it also closes the listener container). */
    public static Disposable listen(ReactiveRedisConnectionFactory factory, String name, Runnable onSubscribed,
                                    java.util.function.Consumer<ReactiveSubscription.Message<String, String>> onMessage, Topic... topics) {
        AtomicReference<ReactiveRedisMessageListenerContainer> current = new AtomicReference<>();
        Disposable subscription = Flux.defer(() -> {
                    ReactiveRedisMessageListenerContainer fresh = new ReactiveRedisMessageListenerContainer(factory);
                    ReactiveRedisMessageListenerContainer old = current.getAndSet(fresh);
                    if (old != null) {
                        old.destroyLater().subscribe(x -> { }, e -> { });
                    }
                    return fresh.receiveLater(java.util.List.of(topics), STRINGS, STRINGS)
                            .doOnNext(ready -> onSubscribed.run()).flatMapMany(messages -> messages);
                })
                .doOnNext(message -> {
                    try {
                        onMessage.accept(message);
                    } catch (RuntimeException e) {
                        log.warn("{} listener: a message failed: {}", name, e.toString());
                    }
                })
                .retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(200)).maxBackoff(Duration.ofSeconds(10))
                        .doBeforeRetry(s -> log.warn("{} listener lost Redis ({}); subscribing again", name, s.failure().toString())))
                .subscribe();
        return () -> {
            subscription.dispose();
            ReactiveRedisMessageListenerContainer last = current.getAndSet(null);
            if (last != null) {
                last.destroy();
            }
        };
    }
}
