-- Where notifications go: channels (a webhook), and subscriptions of a subtree to a channel from a severity up.
CREATE TABLE channels (
    id         BIGINT AUTO_INCREMENT PRIMARY KEY,
    name       VARCHAR(100)  NOT NULL,
    type       VARCHAR(16)   NOT NULL,
    target     VARCHAR(2000) NOT NULL,
    -- the HMAC key a webhook's body is signed with: needed to sign, so kept as given; never shown by the API
    secret     VARCHAR(200)  NULL,
    created_by VARCHAR(200)  NOT NULL,
    created_at DATETIME(3)   NOT NULL,
    UNIQUE KEY uq_channels_name (name)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE subscriptions (
    id           BIGINT AUTO_INCREMENT PRIMARY KEY,
    node_path    VARCHAR(760) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    channel_id   BIGINT       NOT NULL,
    min_severity VARCHAR(16)  NOT NULL,
    created_by   VARCHAR(200) NOT NULL,
    created_at   DATETIME(3)  NOT NULL,
    UNIQUE KEY uq_subscriptions_node_channel (node_path, channel_id),
    INDEX ix_subscriptions_channel (channel_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- An incident: the alarms of one node and rule that opened within its group wait, notified once together.
-- group_key is the SHA-256 of node path and rule (or fingerprint); open_key is group_key while the incident is open (one open incident per key), NULL once it is over.
CREATE TABLE incidents (
    id           BIGINT AUTO_INCREMENT PRIMARY KEY,
    group_key    CHAR(64)      CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    open_key     CHAR(64)      CHARACTER SET ascii COLLATE ascii_bin NULL,
    node_path    VARCHAR(760)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    title        VARCHAR(300)  NOT NULL,
    severity     VARCHAR(16)   NOT NULL,
    -- waiting (in its group wait) -> notified -> resolved; or waiting -> resolved (over before anyone was told)
    status       VARCHAR(16)   NOT NULL,
    opened_at    DATETIME(3)   NOT NULL,
    notify_at    DATETIME(3)   NOT NULL,
    notified_at  DATETIME(3)   NULL,
    resolved_at  DATETIME(3)   NULL,
    UNIQUE KEY uq_incidents_open (open_key),
    INDEX ix_incidents_due (status, notify_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

ALTER TABLE alarms ADD COLUMN incident_id BIGINT NULL, ADD INDEX ix_alarms_incident (incident_id);

-- The outbox of notifications: one row per incident, event and channel, sent at least once by whichever
-- replica holds its lease; every attempt is kept.
CREATE TABLE deliveries (
    id              BIGINT AUTO_INCREMENT PRIMARY KEY,
    incident_id     BIGINT        NOT NULL,
    channel_id      BIGINT        NOT NULL,
    event           VARCHAR(16)   NOT NULL,
    idempotency_key VARCHAR(100)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    body            MEDIUMTEXT    NOT NULL,
    -- pending -> sent, or dead (no 2xx within the maximum age)
    status          VARCHAR(16)   NOT NULL,
    attempts        INT           NOT NULL,
    created_at      DATETIME(3)   NOT NULL,
    next_attempt_at DATETIME(3)   NOT NULL,
    lease_owner     VARCHAR(64)   NULL,
    lease_until     DATETIME(3)   NULL,
    finished_at     DATETIME(3)   NULL,
    UNIQUE KEY uq_deliveries_key (idempotency_key),
    INDEX ix_deliveries_due (status, next_attempt_at),
    INDEX ix_deliveries_incident (incident_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE delivery_attempts (
    id          BIGINT AUTO_INCREMENT PRIMARY KEY,
    delivery_id BIGINT       NOT NULL,
    attempt     INT          NOT NULL,
    at          DATETIME(3)  NOT NULL,
    status_code INT          NULL,
    latency_ms  BIGINT       NOT NULL,
    error       VARCHAR(500) NULL,
    INDEX ix_delivery_attempts_delivery (delivery_id, attempt)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
