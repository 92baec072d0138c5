package dev.loki.events;

import java.time.Instant;

/** A server was bound to the node at {@code nodePath}. */
public record ServerBound(String id, Instant occurredAt, String source, String nodePath,
                          long nodeId, String hostname, double trafficRatio, boolean offline) implements LokiEvent {
}
