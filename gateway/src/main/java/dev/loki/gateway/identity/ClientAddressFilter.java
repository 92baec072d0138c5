package dev.loki.gateway.identity;

import java.net.InetSocketAddress;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.core.Ordered;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;

import reactor.core.publisher.Mono;

/**
 * Names the client's address for the services in {@code X-Loki-Client-Address} (auth-service throttles
 * failed logins per client with it; every request reaches the services from the gateway's own
 * address). Always set by the gateway from the connection, never passed on from the client.
 */
@Component
class ClientAddressFilter implements GlobalFilter, Ordered {

    static final String HEADER = "X-Loki-Client-Address";

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        String address = addressOf(exchange.getRequest());
        return chain.filter(exchange.mutate().request(r -> r.headers(h -> {
            h.remove(HEADER);
            if (address != null) {
                h.set(HEADER, address);
            }
        })).build());
    }

    /** The client's address as the gateway sees it (the ingress's report of it when forward headers are trusted), or null. */
    static String addressOf(ServerHttpRequest request) {
        InetSocketAddress remote = request.getRemoteAddress();
        return remote == null || remote.getAddress() == null ? null : remote.getAddress().getHostAddress();
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE + 1;
    }
}
