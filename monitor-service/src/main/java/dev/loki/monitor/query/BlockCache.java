package dev.loki.monitor.query;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.stereotype.Component;

import dev.loki.monitor.system.MonitorProperties;
import dev.loki.support.LokiProperties;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Final time blocks of query results in Redis: key {@code <prefix>monitor:blk:<query hash>:<block size>:<block start>},
 * value the block's series as OpenTSDB JSON. Only blocks that can no longer change are stored (they
 * ended more than {@code settle} ago); Redis failures read as misses and are never fatal.
 */
@Component
class BlockCache {

    private static final TypeReference<List<Map<String, Object>>> SERIES = new TypeReference<>() {
    };

    private final ReactiveStringRedisTemplate redis;
    private final String prefix;
    private final Duration ttl;
    private final JsonMapper json = JsonMapper.builder().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS).build();

    BlockCache(ReactiveStringRedisTemplate redis, LokiProperties loki, MonitorProperties properties) {
        this.redis = redis;
        this.prefix = loki.redis().keyPrefix() + "monitor:blk:";
        this.ttl = properties.blockTtl();
    }

    /** A stable hash of everything that shapes a sub-query's answer except its time range. */
    String identity(SubQuery sub, Map<String, Object> options) {
        String canonical = json.writeValueAsString(Map.of("q", sub.json(), "o", options));
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8)))
                    .substring(0, 32);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    String key(String identity, long blockMs, long blockStart) {
        return prefix + identity + ":" + blockMs + ":" + blockStart;
    }

    /** The cached blocks among {@code keys}, in order; a miss is null. */
    Mono<List<List<Map<String, Object>>>> get(List<String> keys) {
        if (keys.isEmpty()) {
            return Mono.just(List.of());
        }
        return redis.opsForValue().multiGet(keys)
                .map(values -> values.stream().map(v -> v == null ? null : json.readValue(v, SERIES)).toList())
                .onErrorResume(e -> Mono.just(java.util.Collections.nCopies(keys.size(), null)));
    }

    Mono<Void> put(Map<String, List<Map<String, Object>>> blocks) {
        return Flux.fromIterable(blocks.entrySet())
                .flatMap(e -> redis.opsForValue().set(e.getKey(), json.writeValueAsString(e.getValue()), ttl)
                        .onErrorResume(x -> Mono.just(false)), 16)
                .then();
    }
}
