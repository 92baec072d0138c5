-- auth-service schema. Timestamps are UTC, DATETIME(3).
CREATE TABLE users (
    id            BIGINT AUTO_INCREMENT PRIMARY KEY,
    username      VARCHAR(64)   NOT NULL,
    display_name  VARCHAR(128)  NOT NULL,
    email         VARCHAR(254)  NULL,
    password_hash VARCHAR(255)  NOT NULL,
    admin         BOOLEAN       NOT NULL DEFAULT FALSE,
    enabled       BOOLEAN       NOT NULL DEFAULT TRUE,
    `groups`      VARCHAR(1024) NOT NULL DEFAULT '',
    created_at    DATETIME(3)   NOT NULL,
    updated_at    DATETIME(3)   NOT NULL,
    CONSTRAINT uk_users_username UNIQUE (username)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- Refresh tokens rotate: each use marks the row used and issues a new one in the same family;
-- presenting a used token again revokes the whole family (theft detection).
CREATE TABLE refresh_tokens (
    id         BIGINT AUTO_INCREMENT PRIMARY KEY,
    token_hash CHAR(64)    NOT NULL,
    family     CHAR(36)    NOT NULL,
    username   VARCHAR(64) NOT NULL,
    expires_at DATETIME(3) NOT NULL,
    used_at    DATETIME(3) NULL,
    revoked_at DATETIME(3) NULL,
    created_at DATETIME(3) NOT NULL,
    CONSTRAINT uk_refresh_hash UNIQUE (token_hash),
    INDEX ix_refresh_family (family),
    INDEX ix_refresh_user (username)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- API tokens: only the SHA-256 of the secret is stored; the secret is shown once.
CREATE TABLE api_tokens (
    id           BIGINT AUTO_INCREMENT PRIMARY KEY,
    name         VARCHAR(128) NOT NULL,
    owner        VARCHAR(64)  NOT NULL,
    token_hash   CHAR(64)     NOT NULL,
    hint         VARCHAR(16)  NOT NULL,
    expires_at   DATETIME(3)  NULL,
    revoked_at   DATETIME(3)  NULL,
    last_used_at DATETIME(3)  NULL,
    created_at   DATETIME(3)  NOT NULL,
    CONSTRAINT uk_api_tokens_hash UNIQUE (token_hash),
    INDEX ix_api_tokens_owner (owner)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- A privilege on a node path covers the node and every descendant.
CREATE TABLE `grants` (
    id         BIGINT AUTO_INCREMENT PRIMARY KEY,
    subject    VARCHAR(80)  NOT NULL,
    node_path  VARCHAR(700) NOT NULL,
    privilege  VARCHAR(32)  NOT NULL,
    granted_by VARCHAR(80)  NOT NULL,
    created_at DATETIME(3)  NOT NULL,
    CONSTRAINT uk_grants UNIQUE (subject, node_path, privilege),
    INDEX ix_grants_path (node_path)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE petitions (
    id         BIGINT AUTO_INCREMENT PRIMARY KEY,
    subject    VARCHAR(80)   NOT NULL,
    node_path  VARCHAR(700)  NOT NULL,
    privilege  VARCHAR(32)   NOT NULL,
    reason     VARCHAR(1000) NOT NULL,
    status     VARCHAR(16)   NOT NULL,
    decided_by VARCHAR(80)   NULL,
    decided_at DATETIME(3)   NULL,
    created_at DATETIME(3)   NOT NULL,
    INDEX ix_petitions_status (status)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
