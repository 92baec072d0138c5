package dev.loki.events;

import java.time.Instant;

/** An API token was revoked; caches holding it must drop it. */
public record ApiTokenRevoked(String id, Instant occurredAt, String source,
                              long tokenId, String owner) implements LokiEvent {
}
