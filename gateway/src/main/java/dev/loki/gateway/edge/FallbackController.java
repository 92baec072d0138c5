package dev.loki.gateway.edge;

import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;

import reactor.core.publisher.Mono;

/**
 * Where a route's circuit breaker sends a failed call: 503 (unreachable, circuit open), 504 (timeout) or
 * 502. Only as such a forward: called from outside (no route behind it) it is 404, so nobody can make
 * the gateway say that a running service is down.
 */
@RestController
class FallbackController {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(FallbackController.class);

    @RequestMapping("/fallback/{service}")
    Mono<Void> fallback(@PathVariable String service, ServerWebExchange exchange) {
        if (exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR) == null) {
            String[] d = Problems.describe(404);
            return Problems.write(exchange.getResponse(), HttpStatus.NOT_FOUND, d[0], d[1], d[2], exchange.getRequest().getPath().value());
        }
        Throwable cause = exchange.getAttribute(ServerWebExchangeUtils.CIRCUITBREAKER_EXECUTION_EXCEPTION_ATTR);
        log.warn("{} failed: {}", service, cause == null ? "no cause" : cause.toString());
        HttpStatusCode status = cause == null ? HttpStatus.SERVICE_UNAVAILABLE : GatewayErrorHandler.statusOf(cause);
        if (status.value() == 500) {
            status = HttpStatus.BAD_GATEWAY;
        }
        String[] d = Problems.describe(status.value());
        String detail = switch (status.value()) {
            case 504 -> service + " did not answer in time.";
            case 503 -> service + " is not reachable right now (not running, or its circuit is open); try again shortly.";
            default -> service + " failed to answer properly.";
        };
        String path = exchange.getAttributeOrDefault(RequestIdFilter.ORIGINAL_PATH, exchange.getRequest().getPath().value());
        return Problems.write(exchange.getResponse(), status, d[0], d[1], detail, path);
    }
}
