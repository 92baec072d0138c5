package dev.loki.support;

import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.MessageSourceResolvable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.validation.method.ParameterValidationResult;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.bind.support.WebExchangeBindException;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.reactive.result.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.ServerWebInputException;

import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * Renders every failure as problem+json. Validation failures list
 * {@code errors: [{field, message}]}; unreadable bodies name the offending field where Jackson
 * knows it; anything unexpected is a 500 without internals.
 */
@RestControllerAdvice
@org.springframework.core.annotation.Order(org.springframework.core.Ordered.HIGHEST_PRECEDENCE)
public class ProblemDetailsAdvice extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemDetailsAdvice.class);

    @Override
    protected Mono<ResponseEntity<Object>> handleWebExchangeBindException(
            WebExchangeBindException ex, HttpHeaders headers, HttpStatusCode status, ServerWebExchange exchange) {
        List<FieldError> errors = new ArrayList<>();
        ex.getFieldErrors().forEach(e -> errors.add(new FieldError(e.getField(), e.getDefaultMessage())));
        ex.getGlobalErrors().forEach(e -> errors.add(new FieldError(e.getObjectName(), e.getDefaultMessage())));
        return validationProblem(errors, exchange);
    }

    @Override
    protected Mono<ResponseEntity<Object>> handleHandlerMethodValidationException(
            HandlerMethodValidationException ex, HttpHeaders headers, HttpStatusCode status, ServerWebExchange exchange) {
        List<FieldError> errors = new ArrayList<>();
        for (ParameterValidationResult result : ex.getParameterValidationResults()) {
            String name = result.getMethodParameter().getParameterName();
            for (MessageSourceResolvable error : result.getResolvableErrors()) {
                errors.add(new FieldError(name, error.getDefaultMessage()));
            }
        }
        return validationProblem(errors, exchange);
    }

    @Override
    protected Mono<ResponseEntity<Object>> handleMissingRequestValueException(
            org.springframework.web.server.MissingRequestValueException ex, HttpHeaders headers, HttpStatusCode status,
            ServerWebExchange exchange) {
        return validationProblem(List.of(new FieldError(ex.getName(), "is required")), exchange);
    }

    @Override
    protected Mono<ResponseEntity<Object>> handleServerWebInputException(
            ServerWebInputException ex, HttpHeaders headers, HttpStatusCode status, ServerWebExchange exchange) {
        JacksonException jackson = findCause(ex, JacksonException.class);
        if (jackson == null && ex.getMethodParameter() != null && ex.getMethodParameter().getParameterName() != null) {
            String reason = ex.getReason() != null ? ex.getReason() : "invalid value";
            if (ex.getCause() instanceof org.springframework.beans.TypeMismatchException mismatch) {
                reason = "must be " + article(simpleType(mismatch.getRequiredType()));
            }
            return validationProblem(List.of(new FieldError(ex.getMethodParameter().getParameterName(), reason)), exchange);
        }
        if (jackson == null) {
            ProblemDetail problem = LokiProblem.problem(HttpStatus.BAD_REQUEST, "bad-request", "Bad request",
                    ex.getReason() != null ? ex.getReason() : "The request could not be read.");
            return Mono.just(ResponseEntity.badRequest().body(problem));
        }
        String field = path(jackson);
        String message;
        if (jackson instanceof UnrecognizedPropertyException unknown) {
            field = field.isEmpty() ? unknown.getPropertyName() : field;
            message = "unknown field";
        } else if (jackson instanceof InvalidFormatException invalid) {
            message = "must be a valid " + simpleType(invalid.getTargetType());
        } else if (jackson instanceof MismatchedInputException mismatched && mismatched.getTargetType() != null) {
            message = "must be " + article(simpleType(mismatched.getTargetType()));
        } else {
            message = "malformed JSON";
        }
        if (field.isEmpty()) {
            field = "body";
        }
        return validationProblem(List.of(new FieldError(field, message)), exchange);
    }

    @ExceptionHandler(Exception.class)
    public Mono<ResponseEntity<Object>> handleUnexpected(Exception ex, ServerWebExchange exchange) {
        Throwable outage = storeOutage(ex);
        if (outage != null) {
            log.warn("a store did not answer on {} {}: {}", exchange.getRequest().getMethod(), exchange.getRequest().getPath(), outage.toString());
            ProblemDetail problem = LokiProblem.problem(HttpStatus.SERVICE_UNAVAILABLE, "store-unavailable", "Store unavailable",
                    "A store this needs (database or Redis) did not answer in time; a change cut off mid-call may or may not have been applied: read before trying a change again.");
            return Mono.just(ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header("Retry-After", "1").body(problem));
        }
        log.error("unexpected failure on {} {}", exchange.getRequest().getMethod(), exchange.getRequest().getPath(), ex);
        ProblemDetail problem = LokiProblem.problem(HttpStatus.INTERNAL_SERVER_ERROR, "internal", "Internal error",
                "Something went wrong on our side; the request id in X-Request-Id helps us find it.");
        return Mono.just(ResponseEntity.internalServerError().body(problem));
    }

    /**
     * The cause that says a store is away or too slow (connection refused or lost, a command or query
     * timed out, no pooled connection in time), or null: those are 503s, not bugs.
     */
    static Throwable storeOutage(Throwable ex) {
        for (Throwable t = ex; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String name = t.getClass().getName();
            if (t instanceof org.springframework.dao.DataAccessResourceFailureException
                    || t instanceof org.springframework.dao.QueryTimeoutException
                    || t instanceof org.springframework.dao.TransientDataAccessException
                    || t instanceof java.util.concurrent.TimeoutException
                    || t instanceof java.net.ConnectException
                    || name.startsWith("io.r2dbc.spi.R2dbcTransient") || name.equals("io.r2dbc.spi.R2dbcNonTransientResourceException")
                    || name.startsWith("io.lettuce.core.RedisConnection") || name.equals("io.lettuce.core.RedisCommandTimeoutException")
                    || name.startsWith("io.r2dbc.pool.")) {
                return t;
            }
        }
        return null;
    }

    /**
     * At most {@value #MAX_LISTED} violations are listed (a request with 20,000 bad array entries gets a
     * short answer, fast); {@code errorCount} says how many there were. Sorted by field, so a
     * collection's own size violation ({@code groups}) comes before its entries' ({@code groups[0]}).
     */
    private static Mono<ResponseEntity<Object>> validationProblem(List<FieldError> errors, ServerWebExchange exchange) {
        List<FieldError> listed = errors.stream()
                .sorted(Comparator.comparing(FieldError::field))
                .limit(MAX_LISTED).toList();
        StringBuilder detail = new StringBuilder();
        for (FieldError e : listed) {
            detail.append(detail.isEmpty() ? "" : "; ").append(e.field()).append(": ").append(e.message());
        }
        if (errors.size() > listed.size()) {
            detail.append(" (and ").append(errors.size() - listed.size()).append(" more)");
        }
        ProblemDetail problem = LokiProblem.problem(HttpStatus.BAD_REQUEST, "validation", "Invalid request",
                detail.isEmpty() ? "invalid request" : detail.toString());
        problem.setInstance(URI.create(exchange.getRequest().getPath().value()));
        problem.setProperty("errors", listed);
        problem.setProperty("errorCount", errors.size());
        return Mono.just(ResponseEntity.badRequest().body(problem));
    }

    static final int MAX_LISTED = 10;

    private static String path(JacksonException e) {
        StringBuilder path = new StringBuilder();
        for (JacksonException.Reference ref : e.getPath()) {
            if (ref.getPropertyName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(ref.getPropertyName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    private static String simpleType(Class<?> type) {
        if (type == null) {
            return "value";
        }
        if (type == String.class || type.isEnum()) {
            return type.isEnum() ? "one of " + List.of(type.getEnumConstants()) : "string";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "boolean";
        }
        if (Number.class.isAssignableFrom(type) || type.isPrimitive()) {
            return "number";
        }
        if (List.class.isAssignableFrom(type) || type.isArray()) {
            return "array";
        }
        if (type.getName().startsWith("java.time.")) {
            return "ISO-8601 " + type.getSimpleName().toLowerCase();
        }
        return "object";
    }

    private static String article(String type) {
        return type.startsWith("one of") || type.startsWith("ISO") ? type : (type.matches("^[aeiou].*") ? "an " : "a ") + type;
    }

    private static <T extends Throwable> T findCause(Throwable t, Class<T> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
            if (c.getCause() == c) {
                break;
            }
        }
        return null;
    }
}
