package dev.loki.asset.server;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.listener.PatternTopic;
import org.springframework.data.redis.listener.ReactiveRedisMessageListenerContainer;
import org.springframework.stereotype.Component;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import dev.loki.support.Page;
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
    private static final Logger log = LoggerFactory.getLogger(ServerListCache.class);

    private final Cache<String, Page<Server>> pages = Caffeine.newBuilder().expireAfterWrite(TTL).maximumSize(2_000).build();
    private final AtomicLong generation = new AtomicLong();
    private final ReactiveRedisMessageListenerContainer container;
    private final Disposable subscription;

    ServerListCache(ReactiveRedisConnectionFactory redis) {
        this.container = new ReactiveRedisMessageListenerContainer(redis);
        this.subscription = container.receive(PatternTopic.of("loki.asset.*"))
                .doOnNext(m -> invalidate())
                .onErrorContinue((e, o) -> log.warn("asset event listener: {}", e.getMessage()))
                .subscribe();
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
        container.destroy();
    }
}
