package dev.loki.auth.user;

import java.util.List;

import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** {@code PATCH /api/auth/users/{username}}: absent (or null) fields stay as they are. */
public record UpdateUserRequest(
        @Size(min = 8, max = 72) String password,
        @Size(min = 1, max = 128) String displayName,
        @Email @Size(max = 254) String email,
        Boolean admin,
        Boolean enabled,
        @Size(max = 32) List<@NotBlank @Pattern(regexp = UserRules.GROUP) String> groups) {
}
