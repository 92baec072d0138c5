package dev.loki.events;

import java.time.Instant;

/** A node was added to the service tree at {@code nodePath}. */
public record NodeCreated(String id, Instant occurredAt, String source, String nodePath,
                          long nodeId, long parentId, String nodeType) implements LokiEvent {
}
