package dev.loki.gateway.identity;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;

import dev.loki.gateway.edge.Problems;
import dev.loki.gateway.system.GatewayProperties;
import dev.loki.gateway.system.PerKeyLimit;
import reactor.core.publisher.Mono;

/**
 * At most {@code loki.gateway.max-concurrent-calls-per-caller} calls of one caller (the same key as the
 * rate limiter: subject, else client address) in flight through the routes at once; one more answers
 * 429 at once. The rate limiter bounds how often a caller may call, this bounds how much of the
 * services' capacity one caller's slow calls can hold, so one heavy script leaves room for everyone
 * else. Counted per gateway replica.
 */
@Component
class CallerConcurrencyFilter implements GlobalFilter, Ordered {

    private final SubjectKeyResolver keys;
    private final PerKeyLimit inFlight;

    CallerConcurrencyFilter(SubjectKeyResolver keys, GatewayProperties properties) {
        this.keys = keys;
        this.inFlight = new PerKeyLimit(properties.maxConcurrentCallsPerCaller());
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        return keys.resolve(exchange).flatMap(key -> {
            if (!inFlight.acquire(key)) {
                exchange.getResponse().getHeaders().set(HttpHeaders.RETRY_AFTER, "1");
                return Problems.write(exchange.getResponse(), HttpStatus.TOO_MANY_REQUESTS, "too-many-concurrent-calls",
                        "Too many concurrent calls", "This caller already has " + inFlight.limit()
                                + " calls in flight; wait for one to finish and retry.",
                        exchange.getRequest().getPath().value());
            }
            return chain.filter(exchange).doFinally(signal -> inFlight.release(key));
        });
    }

    @Override
    public int getOrder() {
        // before the routes' own filters (rate limiter, body limit, circuit breaker)
        return Ordered.HIGHEST_PRECEDENCE + 2;
    }
}
