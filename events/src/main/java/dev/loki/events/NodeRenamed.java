package dev.loki.events;

import java.time.Instant;

/** A node got a new name; it and its whole subtree moved from {@code oldPath} to {@code nodePath}. */
public record NodeRenamed(String id, Instant occurredAt, String source, String nodePath,
                          long nodeId, String oldPath) implements LokiEvent {
}
