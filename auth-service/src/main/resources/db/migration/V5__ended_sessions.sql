-- Users whose sessions ended (disabled or deleted) and when, by this service's clock. Written in the same
-- transaction as the change; a gateway replica that starts later, or missed the event, loads the recent ones
-- (GET /internal/auth/ended-sessions) and refuses those users' older JWTs. Rows older than a JWT can live are pruned.
CREATE TABLE ended_sessions
(
    username VARCHAR(64) NOT NULL PRIMARY KEY,
    ended_at DATETIME(3) NOT NULL,
    KEY ix_ended_sessions_ended_at (ended_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
