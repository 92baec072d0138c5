package dev.loki.alarm.alarm;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.loki.alarm.change.Changes;
import dev.loki.alarm.change.TimelineEntry;

/**
 * An alarm as the API shows it. {@code notes} and {@code history} come with {@code GET /api/alarm/alarms/{id}},
 * not with lists.
 *
 * @param status {@code firing}, {@code acknowledged} or {@code resolved}
 * @param count how often its source reported it while open (a repeat raises the count, not a new alarm)
 * @param source who reported it: {@code monitor-service} (an alert rule) or the subject that posted it
 * @param resolution {@code cleared} (its source), {@code manual} (someone) or {@code retired} (its host was retired)
 * @param mutedBy the deployment whose running batch held its notification back (its host was in the batch)
 * @param changes what changed on its node and host in the 30 minutes before it first fired, newest first (with
 *                {@code GET /api/alarm/alarms/{id}} only)
 * @param changesUnavailable the services that could not be asked for {@code changes}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Alarm(long id, String fingerprint, String nodePath, String hostname, Rule rule, String severity, String title,
                    String description, Map<String, String> labels, String status, long count, String source,
                    Instant firstSeenAt, Instant lastSeenAt, String acknowledgedBy, Instant acknowledgedAt,
                    String resolvedBy, Instant resolvedAt, String resolution, Deployment mutedBy, List<Activity> notes,
                    List<Activity> history, List<TimelineEntry> changes, List<String> changesUnavailable) {

    public static final String FIRING = "firing";
    public static final String ACKNOWLEDGED = "acknowledged";
    public static final String RESOLVED = "resolved";

    /** A deployment, as far as an alarm names it. */
    public record Deployment(long id, String version) {
    }

    /** The monitor-service alert rule behind an alarm. */
    public record Rule(long id, String name) {
    }

    /**
     * One thing that happened to an alarm.
     *
     * @param action {@code raised}, {@code reopened}, {@code acknowledged}, {@code resolved}, {@code note}, {@code muted} or
     *               {@code rollback}
     * @param actor the subject, or {@code null} for its source
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Activity(Instant at, String actor, String action, String text) {
    }

    Alarm withDetails(List<Activity> activity) {
        return new Alarm(id, fingerprint, nodePath, hostname, rule, severity, title, description, labels, status, count, source,
                firstSeenAt, lastSeenAt, acknowledgedBy, acknowledgedAt, resolvedBy, resolvedAt, resolution, mutedBy,
                activity.stream().filter(a -> a.action().equals("note")).toList(), activity, null, null);
    }

    Alarm withChanges(Changes.Found found) {
        return new Alarm(id, fingerprint, nodePath, hostname, rule, severity, title, description, labels, status, count, source,
                firstSeenAt, lastSeenAt, acknowledgedBy, acknowledgedAt, resolvedBy, resolvedAt, resolution, mutedBy, notes, history,
                found.entries(), found.unavailable().isEmpty() ? null : found.unavailable());
    }

    boolean open() {
        return !RESOLVED.equals(status);
    }
}
