package dev.loki.support;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.connection.stream.Consumer;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.connection.stream.PendingMessage;
import org.springframework.data.redis.connection.stream.PendingMessages;
import org.springframework.data.redis.connection.stream.ReadOffset;
import org.springframework.data.redis.connection.stream.RecordId;
import org.springframework.data.redis.connection.stream.StreamOffset;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.stream.StreamReceiver;

import dev.loki.events.EventCodec;
import dev.loki.events.LokiEvent;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * Reads the events {@link EventPublisher#append} wrote to a Redis Stream, as a member of the consumer
 * group {@code group} (created at the stream's start when missing, so a first start catches up on
 * everything kept), and acknowledges each entry only after {@code apply} succeeded: what arrives
 * while the service is down is applied when it starts. A failing {@code apply} (its database away) is
 * retried for the same entry, in order, with back-off up to 30 s apart; read failures (Redis away)
 * likewise. Applying must be idempotent. Entries delivered to a consumer that never acknowledged
 * them (its replica died or stopped mid-way) are claimed and applied by the next consumer that starts,
 * once they have been idle for {@link #ORPHANED} — before it reads new entries.
 */
public final class StreamConsumer {

    private static final Logger log = LoggerFactory.getLogger(StreamConsumer.class);

    /** How long a delivered entry may stay unacknowledged before a starting consumer takes it over. */
    static final Duration ORPHANED = Duration.ofSeconds(30);

    private StreamConsumer() {
    }

    /** Starts consuming {@code stream} (the full key, prefix included); dispose the answer to stop. */
    public static Disposable start(ReactiveRedisConnectionFactory factory, ReactiveStringRedisTemplate redis, EventCodec codec,
                                   String stream, String group, Function<LokiEvent, Mono<Void>> apply) {
        Mono<String> created = factory.getReactiveConnection().streamCommands()
                .xGroupCreate(ByteBuffer.wrap(stream.getBytes(StandardCharsets.UTF_8)), group, ReadOffset.from("0-0"), true)
                .onErrorResume(e -> String.valueOf(e.getMessage()).contains("BUSYGROUP") || String.valueOf(e.getCause()).contains("BUSYGROUP")
                        ? Mono.just("exists") : Mono.error(e));
        StreamReceiver<String, MapRecord<String, String, String>> receiver = StreamReceiver.create(factory,
                StreamReceiver.StreamReceiverOptions.builder().pollTimeout(Duration.ofSeconds(1)).build());
        Consumer consumer = Consumer.from(group, group + "-" + UUID.randomUUID());
        return created
                .thenMany(Flux.concat(
                        redis.opsForStream().pending(stream, group, Range.unbounded(), 1000)
                                .flatMapMany(pending -> claimOrphans(redis, stream, group, consumer, pending)),
                        receiver.receive(consumer, StreamOffset.create(stream, ReadOffset.lastConsumed()))
                                .map(record -> new Entry(record.getId(), record.getValue().get("event")))))
                .concatMap(entry -> decode(codec, entry.json())
                        .map(event -> Mono.defer(() -> apply.apply(event)).retryWhen(backoff(stream, group, "applying " + event.type())))
                        .orElse(Mono.empty())
                        .then(redis.opsForStream().acknowledge(stream, group, entry.id())))
                .retryWhen(backoff(stream, group, "reading"))
                .subscribe();
    }

    /** A stream entry: its id and the event's JSON. */
    private record Entry(RecordId id, String json) {
    }

    /** Entries another consumer was given but never acknowledged, idle for {@link #ORPHANED}: now this consumer's. */
    private static Flux<Entry> claimOrphans(ReactiveStringRedisTemplate redis, String stream, String group, Consumer consumer,
                                            PendingMessages pending) {
        RecordId[] ids = pending.stream().filter(p -> p.getElapsedTimeSinceLastDelivery().compareTo(ORPHANED) >= 0)
                .map(PendingMessage::getId).toArray(RecordId[]::new);
        if (ids.length == 0) {
            return Flux.empty();
        }
        log.info("stream {} ({}): taking over {} unacknowledged entries", stream, group, ids.length);
        return redis.opsForStream().claim(stream, group, consumer.getName(), ORPHANED, ids)
                .map(record -> new Entry(record.getId(), record.getValue().get("event") instanceof String json ? json : null));
    }

    private static Retry backoff(String stream, String group, String what) {
        return Retry.backoff(Long.MAX_VALUE, Duration.ofSeconds(1)).maxBackoff(Duration.ofSeconds(30))
                .doBeforeRetry(s -> log.warn("stream {} ({}), {}: {}; retrying", stream, group, what, describe(s.failure())));
    }

    /** The failure, and what caused it when it only wraps another (an inner retry that ran out). */
    private static String describe(Throwable failure) {
        Throwable cause = failure.getCause();
        return cause == null || cause == failure ? failure.toString() : failure + " (" + cause + ")";
    }

    private static Optional<LokiEvent> decode(EventCodec codec, String json) {
        return json == null ? Optional.empty() : codec.decode(json);
    }
}
