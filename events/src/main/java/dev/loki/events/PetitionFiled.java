package dev.loki.events;

import java.time.Instant;

/** A user asked for a privilege on a node; someone holding {@code grant.manage} there decides. */
public record PetitionFiled(String id, Instant occurredAt, String source, String nodePath,
                            long petitionId, String subject, String privilege, String reason) implements LokiEvent {
}
