package dev.loki.auth.session;

import java.util.List;

/** {@code GET /api/auth/me}. {@code subject} says whether the caller is the user or one of its API tokens. */
public record MeView(String username, String displayName, String email, boolean admin, List<String> groups, String subject) {
}
