package dev.loki.support;

import java.time.Duration;

import org.springframework.http.HttpStatus;
import org.springframework.web.reactive.function.client.WebClientResponseException;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.reactor.circuitbreaker.operator.CircuitBreakerOperator;
import reactor.core.publisher.Mono;

/**
 * One call from a service to another Loki service, bounded and answered as problems: a 5 s deadline,
 * the callee's circuit breaker, its 404 as the caller's 404 (naming {@code what} and {@code id}), its
 * 403 as a 403, and anything else that is not already a problem (a timeout, an open breaker, a refused
 * connection, a 5xx) as 503 {@code <service>-unavailable}. A caller that takes a 404 as an answer
 * (not a failure) maps it before this, so the breaker never counts it.
 */
public final class ServiceCalls {

    public static final Duration TIMEOUT = Duration.ofSeconds(5);

    private ServiceCalls() {
    }

    public static <T> Mono<T> guarded(Mono<T> call, CircuitBreaker breaker, String service, String what, Object id) {
        return call.timeout(TIMEOUT)
                .transformDeferred(CircuitBreakerOperator.of(breaker))
                .onErrorMap(WebClientResponseException.NotFound.class, e -> Problems.notFound(what, id))
                .onErrorMap(WebClientResponseException.Forbidden.class, e -> Problems.forbidden(service + " refused: " + e.getStatusText()))
                .onErrorMap(e -> !(e instanceof LokiProblem), e -> new LokiProblem(HttpStatus.SERVICE_UNAVAILABLE,
                        service + "-unavailable", service + " unavailable", service + " could not be asked; try again shortly."));
    }
}
