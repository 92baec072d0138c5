package dev.loki.auth.user;

import java.time.Instant;
import java.util.List;

/** A person who logs in to Loki. Never sent over the wire as is: see {@link UserView}. */
public record User(long id, String username, String displayName, String email, String passwordHash,
                   boolean admin, boolean enabled, List<String> groups, Instant createdAt, Instant updatedAt) {

    public String subject() {
        return "user:" + username;
    }
}
