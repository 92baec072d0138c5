package dev.loki.support;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

import dev.loki.events.Hostname;

/** Query parameters every service reads alike, checked into values or a 400 naming the parameter. */
public final class RequestParams {

    private RequestParams() {
    }

    /** An ISO-8601 instant ({@code 2026-12-04T10:15:30Z}). */
    public static Instant instant(String name, String value) {
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw Problems.invalid(name, "an ISO-8601 instant, such as 2026-12-04T10:15:30Z");
        }
    }

    /** A window of time: {@code until} not before {@code since}. */
    public record Window(Instant since, Instant until) {
    }

    /** {@code since} and {@code until} as a window. */
    public static Window window(String since, String until) {
        Instant from = instant("since", since);
        Instant to = instant("until", until);
        if (to.isBefore(from)) {
            throw Problems.invalid("until", "not before since");
        }
        return new Window(from, to);
    }

    /** What changed on a node ({@code path}, or null), on some hosts, or both, in a window: the internal "recent" queries. */
    public record Recent(String path, List<String> hostnames, Window window) {
    }

    /** A "recent" query's {@code path}, repeated {@code hostname} (at most {@code maxHostnames}), {@code since} and {@code until}. */
    public static Recent recent(String path, List<String> hostnames, String since, String until, int maxHostnames) {
        if (path != null && !dev.loki.events.NodePath.isValid(path)) {
            throw Problems.invalid("path", dev.loki.events.NodePath.MESSAGE);
        }
        List<String> hosts = hostnames("hostname", hostnames, maxHostnames);
        if (path == null && hosts.isEmpty()) {
            throw Problems.invalid("path", "a node path, some hostnames or both");
        }
        return new Recent(path, hosts, window(since, until));
    }

    /** Repeated {@code name} parameters that must be host names, at most {@code max}; none is an empty list. */
    public static List<String> hostnames(String name, List<String> values, int max) {
        List<String> hosts = values == null ? List.of() : List.copyOf(values);
        if (hosts.size() > max) {
            throw Problems.invalid(name, "at most " + max + " per call");
        }
        if (hosts.stream().anyMatch(h -> !Hostname.isValid(h))) {
            throw Problems.invalid(name, Hostname.MESSAGE);
        }
        return hosts;
    }
}
