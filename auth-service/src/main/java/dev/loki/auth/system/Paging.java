package dev.loki.auth.system;

import java.util.List;

import org.springframework.http.HttpStatus;

import dev.loki.support.LokiProblem;

/** The API's list envelope and its bounds (size 1..500). */
public final class Paging {

    public static final int MAX_SIZE = 500;

    private Paging() {
    }

    public record Page<T>(List<T> items, int page, int size, long total) {
    }

    public static void check(int page, int size) {
        if (page < 0) {
            throw new InvalidParameter("page", "must be 0 or more");
        }
        if (size < 1 || size > MAX_SIZE) {
            throw new InvalidParameter("size", "must be between 1 and " + MAX_SIZE);
        }
    }

    /** A 400 naming one query parameter. */
    public static final class InvalidParameter extends LokiProblem {
        public InvalidParameter(String field, String message) {
            super(HttpStatus.BAD_REQUEST, "validation", "Invalid request", field + ": " + message);
            getBody().setProperty("errors", List.of(new dev.loki.support.FieldError(field, message)));
        }
    }
}
