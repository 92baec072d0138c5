package dev.loki.events;

import java.time.Instant;

/**
 * Someone took an alarm on: it stays open, and escalation stops.
 *
 * @param by the subject who acknowledged it ({@code user:<name>} or {@code token:<id>})
 * @param note what they said, if anything
 */
public record AlarmAcknowledged(String id, Instant occurredAt, String source, String nodePath,
                                long alarmId, String fingerprint, String by, String note) implements LokiEvent {
}
