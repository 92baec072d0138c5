package dev.loki.asset.server;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.listener.PatternTopic;
import org.springframework.stereotype.Component;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import dev.loki.support.Page;
import dev.loki.support.RedisSubscriber;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

/**
 * Answers repeated list/search queries (the platform's hottest read path) from memory. Any change to
 * the inventory empties it at once: writes through this replica directly, writes through other
 * replicas by their {@code loki.asset.*} events. A result is kept at most {@link #TTL}, which bounds
 * staleness should an event be lost, and a query that raced a write is not kept.
 */
@Component
class ServerListCache implements DisposableBean {

    static final Duration TTL = Duration.ofSeconds(2);

    private final Cache<String, Page<Server>> pages = Caffeine.newBuilder().expireAfterWrite(TTL).maximumSize(2_000).build();
    private final AtomicLong generation = new AtomicLong();
    private final Disposable subscription;

    ServerListCache(ReactiveRedisConnectionFactory redis) {
        // after a (re)subscription the cache is dropped too: events sent while the listener was away are lost
        this.subscription = RedisSubscriber.listen(redis, "asset events", this::invalidate, m -> invalidate(), PatternTopic.of("loki.asset.*"));
    }

    Mono<Page<Server>> get(ServerRepository.Filter filter, int page, int size, Supplier<Mono<Page<Server>>> load) {
        String key = filter + "|" + page + "|" + size;
        Page<Server> cached = pages.getIfPresent(key);
        if (cached != null) {
            return Mono.just(cached);
        }
        long before = generation.get();
        return load.get().doOnNext(result -> {
            if (generation.get() == before) {
                pages.put(key, result);
            }
        });
    }

    void invalidate() {
        generation.incrementAndGet();
        pages.invalidateAll();
    }

    @Override
    public void destroy() {
        subscription.dispose();
    }
}
