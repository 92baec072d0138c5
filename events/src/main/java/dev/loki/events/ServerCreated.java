package dev.loki.events;

import java.time.Instant;

/** A server entered the inventory (created, registered by its agent or imported). */
public record ServerCreated(String id, Instant occurredAt, String source, ServerSnapshot server) implements LokiEvent {
}
