package dev.loki.events;

import java.time.Instant;

/** A grant was removed. */
public record GrantRevoked(String id, Instant occurredAt, String source, String nodePath,
                           long grantId, String subject, String privilege, String revokedBy) implements LokiEvent {
}
