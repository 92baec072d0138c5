package dev.loki.auth.token;

import java.time.Instant;

import jakarta.validation.constraints.Future;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/** {@code POST /api/auth/tokens}: a name to recognise it by and an optional expiry. */
public record CreateTokenRequest(@NotBlank @Size(max = 128) String name, @Future Instant expiresAt) {
}
