package dev.loki.testsupport;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.ReactiveRedisMessageListenerContainer;

import dev.loki.events.EventCodec;
import dev.loki.events.EventType;
import dev.loki.events.LokiEvent;
import reactor.core.Disposable;

/**
 * Records the events published on Redis for some event types, from the moment the subscription is
 * confirmed (so a test never races the first message), decoded with the shared codec.
 */
public final class EventRecorder implements AutoCloseable {

    private final ReactiveRedisMessageListenerContainer container;
    private final Disposable subscription;
    private final List<LokiEvent> events = new CopyOnWriteArrayList<>();

    private EventRecorder(ReactiveRedisConnectionFactory redis, EventType... types) throws InterruptedException {
        EventCodec codec = new EventCodec();
        CountDownLatch subscribed = new CountDownLatch(1);
        this.container = new ReactiveRedisMessageListenerContainer(redis);
        this.subscription = container.receiveLater(Arrays.stream(types).map(t -> ChannelTopic.of(t.channel())).toArray(ChannelTopic[]::new))
                .doOnNext(x -> subscribed.countDown())
                .flatMapMany(messages -> messages)
                .subscribe(m -> codec.decode(m.getMessage()).ifPresent(events::add));
        if (!subscribed.await(5, TimeUnit.SECONDS)) {
            close();
            throw new IllegalStateException("no Redis subscription within 5 s");
        }
    }

    public static EventRecorder listen(ReactiveRedisConnectionFactory redis, EventType... types) throws InterruptedException {
        return new EventRecorder(redis, types);
    }

    /** Waits until at least {@code count} events arrived (or the timeout passed) and answers all of them. */
    public List<LokiEvent> await(int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (events.size() < count && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        return List.copyOf(events);
    }

    /** The events recorded so far. */
    public List<LokiEvent> events() {
        return List.copyOf(events);
    }

    @Override
    public void close() {
        subscription.dispose();
        container.destroy();
    }
}
