package dev.loki.alarm.silence;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.loki.events.NodePath;

/**
 * Holds back the notifications of alarms on {@code nodePath} and below whose labels match every matcher,
 * from {@code startsAt} to {@code endsAt} — once, or every day or week ({@code repeat}: a maintenance
 * window). Besides an alarm's own labels, a matcher may name {@code hostname}, {@code severity},
 * {@code fingerprint} or {@code rule} (the alert rule's name).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Silence(long id, String nodePath, List<Matcher> matchers, Instant startsAt, Instant endsAt, String repeat, String comment,
                      String createdBy, Instant createdAt) {

    public record Matcher(String label, String value) {
    }

    /** What a silence is matched against: an alarm's node, its labels and the built-in ones. */
    public record Target(String nodePath, Map<String, String> labels, String hostname, String severity, String fingerprint, String rule) {

        String value(String label) {
            return switch (label) {
                case "hostname" -> hostname;
                case "severity" -> severity;
                case "fingerprint" -> fingerprint;
                case "rule" -> rule;
                default -> labels == null ? null : labels.get(label);
            };
        }
    }

    /** Whether the window is on at {@code at}. */
    public boolean activeAt(Instant at) {
        if (at.isBefore(startsAt)) {
            return false;
        }
        Duration period = period(repeat);
        if (period == null) {
            return at.isBefore(endsAt);
        }
        long intoPeriod = Duration.between(startsAt, at).toMillis() % period.toMillis();
        return intoPeriod < Duration.between(startsAt, endsAt).toMillis();
    }

    /** Whether it holds back {@code target}'s notifications at {@code at}. */
    public boolean silences(Target target, Instant at) {
        return NodePath.covers(nodePath, target.nodePath()) && activeAt(at)
                && matchers.stream().allMatch(m -> m.value().equals(target.value(m.label())));
    }

    /** {@code daily} → 1 day, {@code weekly} → 7 days, none → null. */
    static Duration period(String repeat) {
        return repeat == null ? null : switch (repeat) {
            case "daily" -> Duration.ofDays(1);
            case "weekly" -> Duration.ofDays(7);
            default -> throw new IllegalArgumentException("repeat: " + repeat);
        };
    }
}
