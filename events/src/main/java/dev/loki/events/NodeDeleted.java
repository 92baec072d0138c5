package dev.loki.events;

import java.time.Instant;

/** A (childless) node was removed from the tree. */
public record NodeDeleted(String id, Instant occurredAt, String source, String nodePath, long nodeId) implements LokiEvent {
}
