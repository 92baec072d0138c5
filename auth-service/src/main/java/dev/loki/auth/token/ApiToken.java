package dev.loki.auth.token;

import java.time.Instant;

/** A stored API token (the secret itself is never stored). */
record ApiToken(long id, String name, String owner, String hint, Instant expiresAt, Instant revokedAt,
                Instant lastUsedAt, Instant createdAt) {

    boolean usableAt(Instant now) {
        return revokedAt == null && (expiresAt == null || expiresAt.isAfter(now));
    }
}
