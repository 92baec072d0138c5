package dev.loki.support;

import java.util.List;

import org.springframework.http.HttpStatus;

/** The failures every service answers the same way (problem+json with a stable type). */
public final class Problems {

    private Problems() {
    }

    public static LokiProblem notFound(String what, Object id) {
        return new LokiProblem(HttpStatus.NOT_FOUND, "not-found", what + " not found", what + " '" + id + "' does not exist.");
    }

    public static LokiProblem conflict(String detail) {
        return new LokiProblem(HttpStatus.CONFLICT, "conflict", "Conflict", detail);
    }

    /** A 409 caused by one field's value (taken by another resource): it names the field as a validation failure does. */
    public static LokiProblem conflict(String field, String message) {
        LokiProblem problem = conflict(field + ": " + message + ".");
        problem.getBody().setProperty("errors", List.of(new FieldError(field, message)));
        return problem;
    }

    /**
     * 409 {@code illegal-transition}: the action does not apply in the resource's current {@code status}; the
     * answer carries {@code currentStatus} and {@code allowed} (what does apply there) besides the detail
     * ({@code status} is the problem's own, the HTTP status: one key, one meaning).
     */
    public static LokiProblem illegalTransition(String detail, String status, List<String> allowed) {
        LokiProblem problem = new LokiProblem(HttpStatus.CONFLICT, "illegal-transition", "Not allowed now", detail);
        problem.getBody().setProperty("currentStatus", status);
        problem.getBody().setProperty("allowed", allowed);
        return problem;
    }

    public static LokiProblem forbidden(String detail) {
        return new LokiProblem(HttpStatus.FORBIDDEN, "forbidden", "Forbidden", detail);
    }

    public static LokiProblem unauthorized(String detail) {
        return new LokiProblem(HttpStatus.UNAUTHORIZED, "unauthorized", "Unauthorized", detail);
    }

    /** A 400 naming one field (body field or query parameter), like a validation failure. */
    public static LokiProblem invalid(String field, String message) {
        return invalid(List.of(new FieldError(field, message)));
    }

    public static LokiProblem invalid(List<FieldError> errors) {
        String detail = errors.stream().map(e -> e.field() + ": " + e.message()).reduce((a, b) -> a + "; " + b).orElse("invalid request");
        LokiProblem problem = new LokiProblem(HttpStatus.BAD_REQUEST, "validation", "Invalid request", detail);
        problem.getBody().setProperty("errors", errors);
        return problem;
    }

    /** Whether {@code type} is {@code e} or among its causes (a limit that arrives wrapped in a decoding or read error). */
    public static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }
}
