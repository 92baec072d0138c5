package dev.loki.auth.user;

import java.util.List;

import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** {@code POST /api/auth/users}. Passwords: 8 to 72 characters (BCrypt reads at most 72 bytes). */
public record CreateUserRequest(
        @NotNull @Pattern(regexp = UserRules.USERNAME, message = UserRules.USERNAME_MESSAGE) String username,
        @NotNull @Size(min = 8, max = 72) String password,
        @Size(max = 128) String displayName,
        @Email @Size(max = 254) String email,
        Boolean admin,
        @Size(max = 32) List<@NotBlank @Pattern(regexp = UserRules.GROUP) String> groups) {
}
