package dev.loki.auth.token;

import java.time.Instant;

/** A stored API token (the secret itself is never stored). */
record ApiToken(long id, String name, String owner, String hint, Instant expiresAt, Instant revokedAt,
                Instant lastUsedAt, Instant createdAt) {

    boolean usableAt(Instant now) {
        return revokedAt == null && (expiresAt == null || expiresAt.isAfter(now));
    }

    /** Also no older than {@code maxLifetime} (a token made before there was a limit has no expiry of its own). */
    boolean usableAt(Instant now, java.time.Duration maxLifetime) {
        return revokedAt == null && (expiresAt == null || expiresAt.isAfter(now)) && createdAt.plus(maxLifetime).isAfter(now);
    }
}
