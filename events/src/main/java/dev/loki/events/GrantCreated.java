package dev.loki.events;

import java.time.Instant;

/** A privilege was granted to a subject on a node (and so on its descendants). */
public record GrantCreated(String id, Instant occurredAt, String source, String nodePath,
                           long grantId, String subject, String privilege, String grantedBy) implements LokiEvent {
}
