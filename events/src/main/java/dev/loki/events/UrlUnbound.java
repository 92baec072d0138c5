package dev.loki.events;

import java.time.Instant;

/** A URL was unbound from the node at {@code nodePath}. */
public record UrlUnbound(String id, Instant occurredAt, String source, String nodePath,
                         long nodeId, String urlId, String domain, String path) implements LokiEvent {
}
