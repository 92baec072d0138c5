package dev.loki.auth.grant;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.connection.stream.Consumer;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.connection.stream.ReadOffset;
import org.springframework.data.redis.connection.stream.StreamOffset;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.stream.StreamReceiver;
import org.springframework.stereotype.Component;

import dev.loki.events.EventCodec;
import dev.loki.events.NodeMoved;
import dev.loki.events.NodeRenamed;
import dev.loki.events.Streams;
import dev.loki.support.LokiProperties;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * Grants and petitions are keyed by node path; when ptree-service renames or moves a node, they
 * follow it. The changes come through a Redis Stream read by the consumer group {@code auth-service}
 * and acknowledged only once applied, so none is lost while auth-service is down (it catches up on
 * start). Applying is idempotent.
 */
@Component
class PathChangeConsumer implements InitializingBean, DisposableBean {

    static final String GROUP = "auth-service";
    private static final Logger log = LoggerFactory.getLogger(PathChangeConsumer.class);

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
        Mono<String> group = factory.getReactiveConnection().streamCommands()
                .xGroupCreate(ByteBuffer.wrap(stream.getBytes(StandardCharsets.UTF_8)), GROUP, ReadOffset.from("0-0"), true)
                .onErrorResume(e -> String.valueOf(e.getMessage()).contains("BUSYGROUP") || String.valueOf(e.getCause()).contains("BUSYGROUP")
                        ? Mono.just("exists") : Mono.error(e));
        StreamReceiver<String, MapRecord<String, String, String>> receiver = StreamReceiver.create(factory,
                StreamReceiver.StreamReceiverOptions.builder().pollTimeout(Duration.ofSeconds(1)).build());
        Consumer consumer = Consumer.from(GROUP, "auth-" + UUID.randomUUID());
        subscription = group
                .thenMany(receiver.receive(consumer, StreamOffset.create(stream, ReadOffset.lastConsumed())))
                .concatMap(record -> apply(record.getValue().get("event"))
                        .then(redis.opsForStream().acknowledge(stream, GROUP, record.getId())))
                .retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofSeconds(1)).maxBackoff(Duration.ofSeconds(30))
                        .doBeforeRetry(s -> log.warn("path-change stream: {}; retrying", s.failure().toString())))
                .subscribe();
    }

    private Mono<Void> apply(String json) {
        if (json == null) {
            return Mono.empty();
        }
        return codec.decode(json).map(event -> switch (event) {
            case NodeRenamed renamed -> grants.movePaths(renamed.oldPath(), renamed.nodePath());
            case NodeMoved moved -> grants.movePaths(moved.oldPath(), moved.nodePath());
            default -> Mono.<Void>empty();
        }).orElse(Mono.empty());
    }

    @Override
    public void destroy() {
        if (subscription != null) {
            subscription.dispose();
        }
    }
}
