package dev.loki.events;

import java.time.Instant;

/** A user account was created. */
public record UserCreated(String id, Instant occurredAt, String source,
                          String username, String displayName, boolean admin) implements LokiEvent {
}
