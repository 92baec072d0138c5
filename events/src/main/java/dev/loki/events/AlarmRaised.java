package dev.loki.events;

import java.time.Instant;

/**
 * alarm-service opened an alarm — new, or re-opened because its source fired again soon after it was
 * resolved. Repeats of a firing alarm only raise its {@code count}; they publish nothing.
 *
 * @param alarmId the alarm ({@code GET /api/alarm/alarms/{id}})
 * @param hostname the host it concerns, when it concerns one
 * @param reopened whether a resolved alarm was opened again rather than a new one created
 */
public record AlarmRaised(String id, Instant occurredAt, String source, String nodePath,
                          long alarmId, String fingerprint, String hostname, String severity, String title,
                          boolean reopened) implements LokiEvent {
}
