package dev.loki.alarm.change;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.loki.events.Hostname;
import dev.loki.events.NodePath;
import dev.loki.support.Problems;
import dev.loki.support.RequestParams;
import dev.loki.support.Times;
import reactor.core.publisher.Mono;

/**
 * {@code GET /api/alarm/timeline}: a node's (or a host's) alarms and the deployments that ran there, merged in
 * time order — what happened just before something broke. Any signed-in caller.
 */
@RestController
class TimelineController {

    /** The longest window one call covers. */
    static final Duration MAX_WINDOW = Duration.ofDays(31);
    /** At most this many alarms in one answer (the newest). */
    static final int MAX_ALARMS = 500;

    private final DatabaseClient db;
    private final Changes changes;

    TimelineController(DatabaseClient db, Changes changes) {
        this.db = db;
        this.changes = changes;
    }

    /**
     * @param items oldest first
     * @param unavailable the services that could not be asked, so {@code items} may miss their entries
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Timeline(String nodePath, String hostname, Instant since, Instant until, List<TimelineEntry> items, List<String> unavailable) {
    }

    @GetMapping("/api/alarm/timeline")
    Mono<Timeline> timeline(@RequestParam(required = false) String nodePath, @RequestParam(required = false) String hostname,
                            @RequestParam(required = false) String since, @RequestParam(required = false) String until) {
        if (nodePath != null && !NodePath.isValid(nodePath)) {
            throw Problems.invalid("nodePath", NodePath.MESSAGE);
        }
        if (hostname != null && !Hostname.isValid(hostname)) {
            throw Problems.invalid("hostname", Hostname.MESSAGE);
        }
        if (nodePath == null && hostname == null) {
            throw Problems.invalid("nodePath", "a node path or a hostname (or both)");
        }
        Instant to = until == null ? Times.now() : RequestParams.instant("until", until);
        Instant from = since == null ? to.minus(Duration.ofDays(1)) : RequestParams.instant("since", since);
        if (!from.isBefore(to)) {
            throw Problems.invalid("since", "before until");
        }
        if (Duration.between(from, to).compareTo(MAX_WINDOW) > 0) {
            throw Problems.invalid("since", "at most 31 days before until");
        }
        Mono<List<TimelineEntry>> alarms = alarms(nodePath, hostname, from, to);
        Mono<Changes.Found> deployments = changes.between(nodePath, hostname == null ? List.of() : List.of(hostname), from, to);
        return Mono.zip(alarms, deployments).map(t -> {
            List<TimelineEntry> items = new ArrayList<>(t.getT1());
            items.addAll(t.getT2().entries());
            items.sort(Comparator.comparing(TimelineEntry::at));
            return new Timeline(nodePath, hostname, from, to, items, t.getT2().unavailable().isEmpty() ? null : t.getT2().unavailable());
        });
    }

    /** The alarms on the node (or below) or the host that were open at some time in the window. */
    private Mono<List<TimelineEntry>> alarms(String nodePath, String hostname, Instant since, Instant until) {
        List<String> where = new ArrayList<>();
        if (nodePath != null) {
            where.add(nodePath.equals("/") ? "1 = 1" : "node_path = :path OR node_path LIKE :below");
        }
        if (hostname != null) {
            where.add("hostname = :host");
        }
        var spec = db.sql("SELECT id, node_path, hostname, title, severity, status, first_seen_at, resolved_at FROM alarms "
                        + "WHERE first_seen_at <= :until AND (resolved_at IS NULL OR resolved_at >= :since) AND (" + String.join(" OR ", where)
                        + ") ORDER BY first_seen_at DESC LIMIT :limit")
                .bind("since", Times.utc(since)).bind("until", Times.utc(until)).bind("limit", MAX_ALARMS);
        if (nodePath != null && !nodePath.equals("/")) {
            spec = spec.bind("path", nodePath).bind("below", NodePath.sqlLikeBelow(nodePath));
        }
        if (hostname != null) {
            spec = spec.bind("host", hostname);
        }
        return spec.map(r -> {
            Instant at = Times.instant(r.get("first_seen_at", LocalDateTime.class));
            LocalDateTime resolved = r.get("resolved_at", LocalDateTime.class);
            String host = r.get("hostname", String.class);
            String path = r.get("node_path", String.class);
            String title = r.get("title", String.class);
            String severity = r.get("severity", String.class);
            return new TimelineEntry(at, TimelineEntry.ALARM, null, path, host, null,
                    severity + " alarm: " + title + " on " + (host != null ? host + " (" + path + ")" : path), new TimelineEntry.AlarmRef(
                            r.get("id", Long.class), title, severity, r.get("status", String.class), resolved == null ? null : Times.instant(resolved)),
                    null);
        }).all().collectList();
    }
}
