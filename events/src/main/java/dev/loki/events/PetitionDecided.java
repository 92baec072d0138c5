package dev.loki.events;

import java.time.Instant;

/** A petition was approved (a grant now exists) or rejected. */
public record PetitionDecided(String id, Instant occurredAt, String source, String nodePath,
                              long petitionId, String subject, String privilege,
                              String decision, String decidedBy) implements LokiEvent {
}
