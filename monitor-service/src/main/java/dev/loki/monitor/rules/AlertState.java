package dev.loki.monitor.rules;

import java.util.Map;

import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.stereotype.Component;

import dev.loki.support.LokiProperties;
import reactor.core.publisher.Mono;

/**
 * Which series of a rule are firing, in Redis (hash {@code <prefix>monitor:alerts:<ruleId>}, field
 * the series fingerprint), shared by every replica: a new leader continues where the last one
 * stopped, and the conditional set/delete make raising and clearing happen once per series even
 * if two replicas briefly both believe they lead.
 */
@Component
class AlertState {

    private final ReactiveStringRedisTemplate redis;
    private final String prefix;

    AlertState(ReactiveStringRedisTemplate redis, LokiProperties loki) {
        this.redis = redis;
        this.prefix = loki.redis().keyPrefix() + "monitor:alerts:";
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
