package dev.loki.events;

import java.time.Instant;

/** A server moved in its lifecycle, e.g. online → maintenance, or to offline (its bindings go). */
public record ServerStatusChanged(String id, Instant occurredAt, String source, long serverId, String hostname,
                                  String from, String to) implements LokiEvent {
}
