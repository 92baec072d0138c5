package dev.loki.auth.system;

import org.springframework.http.HttpStatus;

import dev.loki.support.LokiProblem;

/** auth-service's domain failures. */
public final class Problems {

    private Problems() {
    }

    public static LokiProblem notFound(String what, Object id) {
        return new LokiProblem(HttpStatus.NOT_FOUND, "not-found", what + " not found", what + " '" + id + "' does not exist.");
    }

    public static LokiProblem conflict(String detail) {
        return new LokiProblem(HttpStatus.CONFLICT, "conflict", "Conflict", detail);
    }

    public static LokiProblem forbidden(String detail) {
        return new LokiProblem(HttpStatus.FORBIDDEN, "forbidden", "Forbidden", detail);
    }

    public static LokiProblem unauthorized(String detail) {
        return new LokiProblem(HttpStatus.UNAUTHORIZED, "unauthorized", "Unauthorized", detail);
    }
}
