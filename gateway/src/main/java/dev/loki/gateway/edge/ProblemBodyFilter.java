package dev.loki.gateway.edge;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

import reactor.core.publisher.Mono;

/**
 * Gateway filters such as RequestRateLimiter (429) and RequestSize (413) end a response with a
 * status and no body. This gives every such bodiless error a problem+json body, so callers always
 * get the same shape.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 1)
public class ProblemBodyFilter implements WebFilter {

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        String path = exchange.getRequest().getPath().value();
        ServerHttpResponseDecorator response = new ServerHttpResponseDecorator(exchange.getResponse()) {
            @Override
            public Mono<Void> setComplete() {
                HttpStatusCode status = getStatusCode();
                if (status != null && status.isError() && !isCommitted() && getHeaders().getContentType() == null) {
                    if (status.value() == 413) {
                        // the body was not read: the connection cannot carry another request
                        getHeaders().set(HttpHeaders.CONNECTION, "close");
                    }
                    if (status.value() == 429 && !getHeaders().containsHeader(HttpHeaders.RETRY_AFTER)) {
                        getHeaders().set(HttpHeaders.RETRY_AFTER, "1");
                    }
                    String[] d = Problems.describe(status.value());
                    String detail = getHeaders().getFirst("errorMessage") != null ? getHeaders().getFirst("errorMessage") : d[2];
                    getHeaders().remove("errorMessage");
                    return Problems.write(getDelegate(), status, d[0], d[1], detail, path);
                }
                return super.setComplete();
            }
        };
        return chain.filter(exchange.mutate().response(response).build());
    }
}
