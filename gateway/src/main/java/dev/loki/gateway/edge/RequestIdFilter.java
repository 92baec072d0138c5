package dev.loki.gateway.edge;

import java.util.UUID;
import java.util.regex.Pattern;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

import reactor.core.publisher.Mono;

/**
 * {@code X-Request-Id} on every response: the caller's (if it looks sane) or a new UUID. It is
 * forwarded to the service, so logs on both sides carry the same id.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
public class RequestIdFilter implements WebFilter {

    public static final String HEADER = "X-Request-Id";
    /** Exchange attribute: the path the client asked for (forwards, e.g. to a fallback, change the request path). */
    public static final String ORIGINAL_PATH = "loki.originalPath";
    private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        String given = exchange.getRequest().getHeaders().getFirst(HEADER);
        String id = given != null && SANE.matcher(given).matches() ? given : UUID.randomUUID().toString();
        exchange.getAttributes().putIfAbsent(ORIGINAL_PATH, exchange.getRequest().getPath().value());
        exchange.getResponse().getHeaders().set(HEADER, id);
        exchange.getResponse().beforeCommit(() -> {
            exchange.getAttributes().putIfAbsent(ORIGINAL_PATH, exchange.getRequest().getPath().value());
        exchange.getResponse().getHeaders().set(HEADER, id);
            return Mono.empty();
        });
        ServerWebExchange withId = exchange.mutate().request(r -> r.headers(h -> h.set(HEADER, id))).build();
        return chain.filter(withId);
    }
}
