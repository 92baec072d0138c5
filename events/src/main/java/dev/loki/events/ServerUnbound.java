package dev.loki.events;

import java.time.Instant;

/** A server was unbound from the node at {@code nodePath} (by a user, or because it was deleted or went offline). */
public record ServerUnbound(String id, Instant occurredAt, String source, String nodePath,
                            long nodeId, String hostname, String reason) implements LokiEvent {
}
