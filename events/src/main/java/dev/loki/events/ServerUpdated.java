package dev.loki.events;

import java.time.Instant;

/** A server's fields changed (not its status: see {@link ServerStatusChanged}). */
public record ServerUpdated(String id, Instant occurredAt, String source, long serverId, String hostname,
                            ServerSnapshot before, ServerSnapshot after) implements LokiEvent {
}
