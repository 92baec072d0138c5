package dev.loki.events;

import java.time.Instant;

/** A user account was deleted; its tokens and grants went with it. */
public record UserDeleted(String id, Instant occurredAt, String source, String username) implements LokiEvent {
}
