package dev.loki.auth.token;

import java.time.Instant;

/** Wire shapes of API tokens. */
final class TokenViews {

    private TokenViews() {
    }

    /** The answer to creation: the only time {@code token} (the secret) is ever shown. */
    record CreatedToken(long id, String name, String token, Instant expiresAt, Instant createdAt) {
    }

    /** A token in a list: the secret's first characters only, to tell tokens apart. */
    record TokenView(long id, String name, String owner, String hint, Instant expiresAt, Instant revokedAt,
                     Instant lastUsedAt, Instant createdAt) {

        static TokenView of(ApiToken t) {
            return new TokenView(t.id(), t.name(), t.owner(), t.hint(), t.expiresAt(), t.revokedAt(), t.lastUsedAt(), t.createdAt());
        }
    }

    record ExchangeRequest(@jakarta.validation.constraints.NotBlank @jakarta.validation.constraints.Size(max = 128) String token) {
    }

    record ExchangeResponse(String accessToken, long expiresIn, String subject) {
    }
}
