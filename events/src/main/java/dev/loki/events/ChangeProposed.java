package dev.loki.events;

import java.time.Instant;

/** A change to the tree was proposed by someone without {@code node.manage}; it waits for review. */
public record ChangeProposed(String id, Instant occurredAt, String source, String nodePath,
                             long changeId, String kind, String actor) implements LokiEvent {
}
