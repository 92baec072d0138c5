package dev.loki.gateway.identity;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;

import reactor.core.publisher.Mono;

/**
 * Passes the caller's identity to the service as a signed Loki JWT in {@code Authorization}: the
 * user's own JWT, or the internal JWT obtained for an API token. Services verify its signature, so a
 * client cannot forge an identity by sending headers of its own.
 */
@Component
class ForwardIdentityFilter implements GlobalFilter, Ordered {

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        return exchange.getPrincipal()
                .filter(JwtAuthenticationToken.class::isInstance)
                .map(p -> ((JwtAuthenticationToken) p).getToken().getTokenValue())
                .map(jwt -> exchange.mutate().request(r -> r.headers(h -> h.set(HttpHeaders.AUTHORIZATION, "Bearer " + jwt))).build())
                .defaultIfEmpty(exchange)
                .flatMap(chain::filter);
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }
}
