package dev.loki.alarm.alarm;

import java.time.Instant;
import java.util.Map;

/**
 * A source says a problem is there (an alert that fired, or a call to {@code POST /api/alarm/alarms}).
 * Signals with one fingerprint are one alarm while it is open.
 *
 * @param source {@code monitor-service}, or the subject that posted it
 */
public record Signal(String fingerprint, String nodePath, String hostname, Long ruleId, String ruleName, String severity,
                     String title, String description, Map<String, String> labels, String source, Instant at) {
}
