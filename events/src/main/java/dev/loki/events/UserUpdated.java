package dev.loki.events;

import java.time.Instant;

/** A user account was changed (display name, e-mail, admin flag, enabled flag or password). */
public record UserUpdated(String id, Instant occurredAt, String source,
                          String username, boolean admin, boolean enabled) implements LokiEvent {
}
