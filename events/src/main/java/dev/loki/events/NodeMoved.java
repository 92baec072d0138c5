package dev.loki.events;

import java.time.Instant;

/** A node (and its subtree) moved under another parent, from {@code oldPath} to {@code nodePath}, perhaps renamed too. */
public record NodeMoved(String id, Instant occurredAt, String source, String nodePath,
                        long nodeId, String oldPath, long oldParentId, long newParentId) implements LokiEvent {
}
