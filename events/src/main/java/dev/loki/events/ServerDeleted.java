package dev.loki.events;

import java.time.Instant;

/** A server left the inventory; {@code server} is its last state. */
public record ServerDeleted(String id, Instant occurredAt, String source, ServerSnapshot server) implements LokiEvent {
}
