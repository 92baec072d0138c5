package dev.loki.monitor.rules;

import java.util.Map;
import java.util.function.Supplier;

import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.stereotype.Component;

import dev.loki.events.LokiEvent;
import dev.loki.events.Streams;
import dev.loki.support.EventPublisher;
import dev.loki.support.LokiProperties;
import reactor.core.publisher.Mono;

/**
 * Which series of a rule are firing, in Redis (hash {@code <prefix>monitor:alerts:<ruleId>}, field
 * the series fingerprint), shared by every replica: a new leader continues where the last one
 * stopped, and the conditional set/delete make raising and clearing happen once per series even
 * if two replicas briefly both believe they lead.
 * <p>
 * A transition's event is appended to the stream {@code monitor.alerts} (alarm-service's intake) before
 * the state records it: if the append fails, or the process dies in between, the state still says the
 * old thing and the next evaluation appends the event again. So an alert is delivered at least once;
 * alarm-service applies repeats idempotently.
 */
@Component
class AlertState {

    private final ReactiveStringRedisTemplate redis;
    private final String prefix;

    private final EventPublisher events;
    private final String stream;

    AlertState(ReactiveStringRedisTemplate redis, LokiProperties loki, EventPublisher events) {
        this.redis = redis;
        this.prefix = loki.redis().keyPrefix() + "monitor:alerts:";
        this.events = events;
        this.stream = loki.redis().keyPrefix() + Streams.MONITOR_ALERTS;
    }

    /** Raises the series unless it is firing: its event appended to the stream first, then the state; true if raised. */
    Mono<Boolean> raise(long ruleId, String fingerprint, double value, Supplier<LokiEvent> event) {
        return redis.opsForHash().hasKey(prefix + ruleId, fingerprint).flatMap(firing -> firing ? Mono.just(false)
                : events.append(stream, event.get()).then(fire(ruleId, fingerprint, value)));
    }

    /** Clears the series if it is firing: its event appended to the stream first, then the state; true if cleared. */
    Mono<Boolean> clear(long ruleId, String fingerprint, Supplier<LokiEvent> event) {
        return redis.opsForHash().hasKey(prefix + ruleId, fingerprint).flatMap(firing -> !firing ? Mono.just(false)
                : events.append(stream, event.get()).then(resolve(ruleId, fingerprint)));
    }

    /** True if this call marked the series firing (it was not). */
    Mono<Boolean> fire(long ruleId, String fingerprint, double value) {
        return redis.opsForHash().putIfAbsent(prefix + ruleId, fingerprint, Double.toString(value));
    }

    /** True if this call cleared a firing series. */
    Mono<Boolean> resolve(long ruleId, String fingerprint) {
        return redis.opsForHash().remove(prefix + ruleId, fingerprint).map(n -> n > 0);
    }

    Mono<Map<String, String>> firing(long ruleId) {
        return redis.<String, String>opsForHash().entries(prefix + ruleId).collectMap(Map.Entry::getKey, Map.Entry::getValue);
    }

    Mono<Boolean> forget(long ruleId) {
        return redis.delete(prefix + ruleId).map(n -> n > 0);
    }
}
