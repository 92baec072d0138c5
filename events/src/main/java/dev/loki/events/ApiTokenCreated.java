package dev.loki.events;

import java.time.Instant;

/** An API token was issued (never carries the secret). */
public record ApiTokenCreated(String id, Instant occurredAt, String source,
                              long tokenId, String name, String owner, Instant expiresAt) implements LokiEvent {
}
