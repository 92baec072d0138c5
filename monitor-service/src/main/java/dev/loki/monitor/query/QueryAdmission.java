package dev.loki.monitor.query;

import java.security.Principal;
import java.time.Duration;

import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;

import dev.loki.monitor.system.MonitorProperties;
import dev.loki.support.ProblemResponses;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.github.resilience4j.reactor.bulkhead.operator.BulkheadOperator;
import reactor.core.publisher.Mono;

/**
 * At most {@code loki.monitor.max-concurrent-queries-per-caller} reads (queries, dashboard figures,
 * suggestions) of one caller in flight on this replica; one more answers 429 at once. Every read may
 * cost OpenTSDB work, so one caller's burst of heavy queries cannot take all of it. Writes of metrics
 * ({@code /api/monitor/put}) and rules are not limited here.
 */
@Component
class QueryAdmission implements WebFilter, Ordered {

    private final BulkheadConfig perCaller;
    private final LoadingCache<String, Bulkhead> bulkheads;

    QueryAdmission(MonitorProperties properties) {
        this.perCaller = BulkheadConfig.custom().maxConcurrentCalls(properties.maxConcurrentQueriesPerCaller())
                .maxWaitDuration(Duration.ZERO).build();
        // one bulkhead per caller; one left idle for an hour goes (nothing of it is in flight by then)
        this.bulkheads = Caffeine.newBuilder().expireAfterAccess(Duration.ofHours(1))
                .maximumSize(100_000).build(caller -> Bulkhead.of("monitor-reads:" + caller, perCaller));
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        String path = exchange.getRequest().getPath().value();
        if (!path.startsWith("/api/monitor/") || path.startsWith("/api/monitor/put") || path.startsWith("/api/monitor/rules")) {
            return chain.filter(exchange);
        }
        return exchange.getPrincipal().map(Principal::getName).defaultIfEmpty("anonymous")
                .flatMap(caller -> chain.filter(exchange).transformDeferred(BulkheadOperator.of(bulkheads.get(caller))))
                .onErrorResume(BulkheadFullException.class, e -> {
                    exchange.getResponse().getHeaders().set(HttpHeaders.RETRY_AFTER, "1");
                    return ProblemResponses.write(exchange, HttpStatus.TOO_MANY_REQUESTS, "too-many-concurrent-queries",
                            "Too many concurrent queries", "This caller already has " + perCaller.getMaxConcurrentCalls()
                                    + " reads in flight on monitor-service; wait for one to finish and retry.");
                });
    }

    @Override
    public int getOrder() {
        // after Spring Security's filter chain (-100): the caller is known
        return 0;
    }
}
