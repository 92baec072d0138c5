package dev.loki.gateway.identity;

import org.springframework.cloud.gateway.filter.ratelimit.KeyResolver;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;

import reactor.core.publisher.Mono;

/** Rate-limit key: the authenticated subject ({@code user:alice}, {@code token:12}), else the client address. */
@Component("subjectKeyResolver")
class SubjectKeyResolver implements KeyResolver {

    @Override
    public Mono<String> resolve(ServerWebExchange exchange) {
        return exchange.getPrincipal().map(p -> p.getName())
                .switchIfEmpty(Mono.fromSupplier(() -> {
                    String address = ClientAddressFilter.addressOf(exchange.getRequest());
                    return "ip:" + (address == null ? "unknown" : address);
                }));
    }
}
