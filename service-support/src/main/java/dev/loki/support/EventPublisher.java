package dev.loki.support;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

import dev.loki.events.EventCodec;
import dev.loki.events.LokiEvent;
import reactor.core.publisher.Mono;

/**
 * Publishes events on their Redis pub/sub channel ({@code loki.<service>.<event>}).
 * Pub/sub is at-most-once: consumers that must not miss an event re-read the owner's API on
 * reconnect (see docs/events.md).
 */
public class EventPublisher {

    private static final Logger log = LoggerFactory.getLogger(EventPublisher.class);

    private final ReactiveStringRedisTemplate redis;
    private final EventCodec codec;

    public EventPublisher(ReactiveStringRedisTemplate redis, EventCodec codec) {
        this.redis = redis;
        this.codec = codec;
    }

    /**
     * Appends the event to a Redis Stream (for consumers that must not miss it; they read with a
     * consumer group and acknowledge), then publishes it on its channel as usual. The stream keeps
     * the last 100,000 entries. Unlike {@link #publish}, a Redis failure here fails the call.
     */
    public Mono<Void> append(String stream, LokiEvent event) {
        var record = org.springframework.data.redis.connection.stream.StreamRecords.string(
                java.util.Map.of("event", codec.encode(event))).withStreamKey(stream);
        return redis.opsForStream().add(record,
                        org.springframework.data.redis.connection.RedisStreamCommands.XAddOptions.maxlen(100_000).approximateTrimming(true))
                .then(publish(event));
    }

    /**
     * Appends the event to a stream that only wakes its consumers up, because the durable record of the
     * change is elsewhere (an outbox written with it, which consumers read), then publishes it. Unlike
     * {@link #append}, a Redis failure is logged and does not fail the change: consumers still find the
     * change at their next poll.
     */
    public Mono<Void> appendWakeUp(String stream, LokiEvent event) {
        return append(stream, event).timeout(java.time.Duration.ofSeconds(5))
                .onErrorResume(e -> {
                    log.warn("event {} {} is recorded but did not reach stream {}: {}", event.type(), event.id(), stream, e.toString());
                    return publish(event);
                });
    }

    /** Publishes; a Redis failure is logged and does not fail the change that caused the event. */
    public Mono<Void> publish(LokiEvent event) {
        return redis.convertAndSend(event.channel(), codec.encode(event))
                // bounded: a Redis that hangs (or a starved connection pool) must not hold up the change itself
                .timeout(java.time.Duration.ofSeconds(5))
                .doOnError(e -> log.warn("event {} {} not published: {}", event.type(), event.id(), e.getMessage()))
                .onErrorResume(e -> Mono.empty())
                .then();
    }
}
