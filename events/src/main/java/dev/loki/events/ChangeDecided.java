package dev.loki.events;

import java.time.Instant;

/** A pending tree change was approved (and applied) or rejected; {@code decision} is {@code applied} or {@code rejected}. */
public record ChangeDecided(String id, Instant occurredAt, String source, String nodePath,
                            long changeId, String kind, String decision, String decidedBy) implements LokiEvent {
}
