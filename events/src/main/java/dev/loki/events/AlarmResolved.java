package dev.loki.events;

import java.time.Instant;

/**
 * An alarm was closed: by its source (the alert cleared), by someone, or because its host was retired.
 *
 * @param by the subject who resolved it, or {@code null} when its source or a retirement did
 * @param reason {@code cleared} (the source), {@code manual} (someone) or {@code retired} (the host was deleted or set offline)
 */
public record AlarmResolved(String id, Instant occurredAt, String source, String nodePath,
                            long alarmId, String fingerprint, String by, String reason) implements LokiEvent {
}
