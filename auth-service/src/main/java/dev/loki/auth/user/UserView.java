package dev.loki.auth.user;

import java.time.Instant;
import java.util.List;

/** A user as the API shows it (never the password hash). */
public record UserView(String username, String displayName, String email, boolean admin, boolean enabled,
                       List<String> groups, Instant createdAt, Instant updatedAt) {

    static UserView of(User user) {
        return new UserView(user.username(), user.displayName(), user.email(), user.admin(), user.enabled(),
                user.groups(), user.createdAt(), user.updatedAt());
    }
}
