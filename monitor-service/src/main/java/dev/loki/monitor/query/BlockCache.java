package dev.loki.monitor.query;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import dev.loki.monitor.system.MonitorProperties;
import dev.loki.support.LokiProperties;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Final time blocks of query results, in two levels: this replica's memory (decoded, the newest
 * few hundred thousand points' worth) in front of Redis (shared by every replica): key {@code <prefix>monitor:blk:<query hash>:<block size>:<block start>},
 * value the block's series as OpenTSDB JSON. Only blocks that can no longer change are stored (they
 * ended more than {@code settle} ago); Redis failures read as misses and are never fatal.
 *
 * <p>Redis is shared with streams, alert state and rate limits, so the cache has a quota there: at most
 * {@code block-cache-max-blocks} blocks and {@code block-cache-max-bytes} of values across all replicas.
 * A script stores each block and evicts the oldest ones beyond the quota in one step (an index sorted by
 * when each block was stored, their sizes, the running total; {@code <prefix>monitor:blkidx|blksz|blkbytes});
 * a block larger than 1/16 of the byte quota is kept only in memory.
 */
@Component
class BlockCache {

    private static final TypeReference<List<Map<String, Object>>> SERIES = new TypeReference<>() {
    };

    private final ReactiveStringRedisTemplate redis;
    private final String prefix;
    private final Duration ttl;
    private final RedisScript<Long> store = RedisScript.of(new ClassPathResource("redis/block-cache-put.lua"), Long.class);
    private final List<String> quotaKeys;
    private final String maxBlocks;
    private final String maxBytes;
    private final long maxBlockBytes;
    private final JsonMapper json = JsonMapper.builder().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS).build();
    /** Decoded blocks, weighed by their points; final blocks never change, so nothing here goes stale. */
    private final Cache<String, List<Map<String, Object>>> memory = Caffeine.newBuilder()
            .maximumWeight(500_000)
            .weigher((String key, List<Map<String, Object>> series) -> 1 + series.stream()
                    .mapToInt(s -> s.get("dps") instanceof Map<?, ?> dps ? dps.size() : 0).sum())
            .build();

    BlockCache(ReactiveStringRedisTemplate redis, LokiProperties loki, MonitorProperties properties) {
        this.redis = redis;
        this.prefix = loki.redis().keyPrefix() + "monitor:blk:";
        this.ttl = properties.blockTtl();
        String base = loki.redis().keyPrefix() + "monitor:";
        this.quotaKeys = List.of(base + "blkidx", base + "blksz", base + "blkbytes");
        this.maxBlocks = Integer.toString(properties.blockCacheMaxBlocks());
        this.maxBytes = Long.toString(properties.blockCacheMaxBytes().toBytes());
        this.maxBlockBytes = properties.blockCacheMaxBytes().toBytes() / 16;
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
        List<List<Map<String, Object>>> found = new ArrayList<>(Collections.nCopies(keys.size(), null));
        List<Integer> missing = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            List<Map<String, Object>> hit = memory.getIfPresent(keys.get(i));
            if (hit != null) {
                found.set(i, hit);
            } else {
                missing.add(i);
            }
        }
        if (missing.isEmpty()) {
            return Mono.just(found);
        }
        return redis.opsForValue().multiGet(missing.stream().map(keys::get).toList())
                .map(values -> {
                    for (int j = 0; j < missing.size(); j++) {
                        if (values.get(j) != null) {
                            List<Map<String, Object>> block = json.readValue(values.get(j), SERIES);
                            memory.put(keys.get(missing.get(j)), block);
                            found.set(missing.get(j), block);
                        }
                    }
                    return found;
                })
                .onErrorResume(e -> Mono.just(found));
    }

    Mono<Void> put(Map<String, List<Map<String, Object>>> blocks) {
        memory.putAll(blocks);
        return Flux.fromIterable(blocks.entrySet())
                .map(e -> Map.entry(e.getKey(), json.writeValueAsString(e.getValue())))
                .filter(e -> e.getValue().length() <= maxBlockBytes)
                .flatMap(e -> redis.execute(store, keysOf(e.getKey()), List.of(e.getValue(), Long.toString(ttl.toMillis()),
                                Long.toString(System.currentTimeMillis()), maxBlocks, maxBytes))
                        .onErrorResume(x -> Mono.empty()), 16)
                .then();
    }

    private List<String> keysOf(String block) {
        List<String> keys = new ArrayList<>(4);
        keys.add(block);
        keys.addAll(quotaKeys);
        return keys;
    }
}
