package dev.loki.gateway.edge;

import org.springframework.http.HttpStatus;
import org.springframework.security.web.server.firewall.ServerExchangeRejectedException;
import org.springframework.security.web.server.firewall.ServerExchangeRejectedHandler;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;

import reactor.core.publisher.Mono;

/**
 * Spring Security's firewall refuses URLs such as {@code /servers/a%2Fb} or {@code /a/../b}; its default
 * answer is a bare 400. Picked up by Spring Security as the rejection handler: the same refusal as
 * problem+json, naming no internals.
 */
@Component
class FirewallRejections implements ServerExchangeRejectedHandler {

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, ServerExchangeRejectedException ex) {
        return Problems.write(exchange.getResponse(), HttpStatus.BAD_REQUEST, "rejected-url", "Bad request",
                "The URL is not accepted: it holds an encoded '/', '\\\\', '%' or ';', a '..' segment, a double '/' or a control character.",
                "/");
    }
}
