package dev.loki.auth.session;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/** {@code POST /api/auth/refresh} and {@code /logout}. */
public record RefreshRequest(@NotBlank @Size(max = 128) String refreshToken) {
}
