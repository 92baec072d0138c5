package dev.loki.gateway.edge;

import java.net.ConnectException;
import java.util.concurrent.TimeoutException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.webflux.error.ErrorWebExceptionHandler;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.security.authentication.AuthenticationServiceException;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponse;
import org.springframework.web.server.ServerWebExchange;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import reactor.core.publisher.Mono;

/**
 * Every failure inside the gateway becomes problem+json: unknown routes 404, upstream trouble
 * 502/503/504, anything unexpected 500 (logged, never with internals in the body).
 */
@Component
@Order(-2)
public class GatewayErrorHandler implements ErrorWebExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(GatewayErrorHandler.class);

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, Throwable ex) {
        if (exchange.getResponse().isCommitted()) {
            return Mono.error(ex);
        }
        HttpStatusCode status = statusOf(ex);
        if (status.is5xxServerError() && status.value() == 500) {
            log.error("unexpected failure on {} {}", exchange.getRequest().getMethod(), exchange.getRequest().getPath(), ex);
        }
        String[] d = Problems.describe(status.value());
        String detail = ex instanceof ErrorResponse er && er.getBody().getDetail() != null && status.is4xxClientError()
                ? er.getBody().getDetail() : d[2];
        exchange.getResponse().getHeaders().remove("Content-Length");
        return Problems.write(exchange.getResponse(), status, d[0], d[1], detail, exchange.getRequest().getPath().value());
    }

    /** The status the gateway answers for a failure. */
    public static HttpStatusCode statusOf(Throwable ex) {
        for (Throwable t = ex; t != null; t = t.getCause()) {
            if (t instanceof ErrorResponse er) {
                return er.getStatusCode();
            }
            if (t instanceof TimeoutException || t.getClass().getSimpleName().contains("Timeout")) {
                return HttpStatus.GATEWAY_TIMEOUT;
            }
            if (t instanceof CallNotPermittedException || t instanceof io.github.resilience4j.bulkhead.BulkheadFullException
                    || t instanceof ConnectException
                    || t instanceof AuthenticationServiceException || t instanceof java.net.UnknownHostException) {
                return HttpStatus.SERVICE_UNAVAILABLE;
            }
            if (t instanceof java.io.IOException) {
                return HttpStatus.BAD_GATEWAY;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return HttpStatus.INTERNAL_SERVER_ERROR;
    }
}
