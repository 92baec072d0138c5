package dev.loki.monitor.collect;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.loki.events.Privilege;
import dev.loki.monitor.tsdb.OpenTsdb;
import dev.loki.support.FieldError;
import dev.loki.support.LokiProblem;
import dev.loki.support.Permissions;
import dev.loki.support.Problems;
import reactor.core.publisher.Mono;

/**
 * Collectors write through here: OpenTSDB's {@code /api/put} body (one point or an array), checked
 * point by point (400 naming {@code [i].field}), then stored; needs {@code monitor.manage} on {@code /}.
 * {@code ?sync} waits until OpenTSDB has stored the points. Answers {@code {success, failed, errors}}.
 */
@RestController
class PutController {

    static final int MAX_POINTS = 10_000;
    private static final Pattern NAME = Pattern.compile("^[A-Za-z0-9._/-]{1,200}$");

    private final OpenTsdb tsdb;
    private final Permissions permissions;

    PutController(OpenTsdb tsdb, Permissions permissions) {
        this.tsdb = tsdb;
        this.permissions = permissions;
    }

    @PostMapping("/api/monitor/put")
    Mono<ResponseEntity<Object>> put(@RequestBody Object body, @RequestParam MultiValueMap<String, String> params) {
        boolean sync = params.containsKey("sync");
        List<?> points = body instanceof List<?> list ? list : List.of(body);
        return permissions.require("/", Privilege.MONITOR_MANAGE)
                .then(Mono.fromRunnable(() -> check(points)))
                .then(tsdb.put(points, sync))
                .map(summary -> {
                    Object failed = summary.get("failed");
                    if (failed instanceof Number n && n.intValue() > 0) {
                        ProblemDetail problem = LokiProblem.problem(HttpStatus.BAD_REQUEST, "points-refused", "Points refused",
                                n + " of " + points.size() + " points were refused by OpenTSDB.");
                        problem.setProperty("errors", summary.get("errors"));
                        return ResponseEntity.badRequest().contentType(org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON)
                                .body((Object) problem);
                    }
                    return ResponseEntity.ok((Object) summary);
                });
    }

    private static void check(List<?> points) {
        if (points.isEmpty()) {
            throw Problems.invalid("body", "at least one point");
        }
        if (points.size() > MAX_POINTS) {
            throw Problems.invalid("body", "at most " + MAX_POINTS + " points per request");
        }
        List<FieldError> errors = new ArrayList<>();
        for (int i = 0; i < points.size() && errors.size() < 20; i++) {
            String at = "[" + i + "].";
            if (!(points.get(i) instanceof Map<?, ?> point)) {
                errors.add(new FieldError("[" + i + "]", "must be an object {metric, timestamp, value, tags}"));
                continue;
            }
            if (!(point.get("metric") instanceof String metric) || !NAME.matcher(metric).matches()) {
                errors.add(new FieldError(at + "metric", "letters, digits and . _ - /"));
            }
            if (!(point.get("timestamp") instanceof Number ts) || ts.longValue() <= 0 || ts.longValue() > 9_999_999_999_999L) {
                errors.add(new FieldError(at + "timestamp", "epoch seconds or milliseconds"));
            }
            Object value = point.get("value");
            if (!(value instanceof Number) && !(value instanceof String s && s.matches("^-?[0-9.eE+-]+$"))) {
                errors.add(new FieldError(at + "value", "a number"));
            }
            if (!(point.get("tags") instanceof Map<?, ?> tags) || tags.isEmpty()) {
                errors.add(new FieldError(at + "tags", "at least one tag, e.g. {\"host\": \"web1\"}"));
            } else {
                tags.forEach((k, v) -> {
                    if (!NAME.matcher(String.valueOf(k)).matches() || !NAME.matcher(String.valueOf(v)).matches()) {
                        errors.add(new FieldError(at + "tags." + k, "tag keys and values use letters, digits and . _ - /"));
                    }
                });
            }
        }
        if (!errors.isEmpty()) {
            throw Problems.invalid(errors);
        }
    }
}
