package dev.loki.events;

import java.time.Instant;

/** A URL (domain + path) was bound to the node at {@code nodePath}; it now counts in the node's availability. */
public record UrlBound(String id, Instant occurredAt, String source, String nodePath,
                       long nodeId, String urlId, String domain, String path) implements LokiEvent {
}
