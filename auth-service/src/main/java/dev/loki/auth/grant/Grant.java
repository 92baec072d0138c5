package dev.loki.auth.grant;

import java.time.Instant;

/** A privilege held by a subject on a node path and every descendant. */
public record Grant(long id, String subject, String nodePath, String privilege, String grantedBy, Instant createdAt) {
}
