package dev.loki.support;

import java.util.List;

/**
 * The API's list envelope: {@code {items, page, size, total}}. {@link #check} enforces the bounds
 * every list endpoint shares (page ≥ 0, size 1..500) with a 400 naming the parameter.
 */
public record Page<T>(List<T> items, int page, int size, long total) {

    public static final int MAX_SIZE = 500;

    public static void check(int page, int size) {
        if (page < 0) {
            throw Problems.invalid("page", "must be 0 or more");
        }
        if (size < 1 || size > MAX_SIZE) {
            throw Problems.invalid("size", "must be between 1 and " + MAX_SIZE);
        }
    }

    public long offset() {
        return (long) page * size;
    }
}
