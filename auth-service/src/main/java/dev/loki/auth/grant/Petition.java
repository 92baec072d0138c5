package dev.loki.auth.grant;

import java.time.Instant;

/** A request for a privilege on a node; {@code status} is pending, approved or rejected. */
public record Petition(long id, String subject, String nodePath, String privilege, String reason, String status,
                       String decidedBy, Instant decidedAt, Instant createdAt) {
}
