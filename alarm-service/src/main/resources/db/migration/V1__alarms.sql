-- alarm-service: one row per alarm. open_fingerprint is the fingerprint while the alarm is open (firing or
-- acknowledged) and NULL once resolved, so the unique key allows one open alarm per fingerprint and any
-- number of resolved ones.
CREATE TABLE alarms (
    id               BIGINT AUTO_INCREMENT PRIMARY KEY,
    fingerprint      VARCHAR(255)  NOT NULL,
    open_fingerprint VARCHAR(255)  NULL,
    node_path        VARCHAR(760) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    hostname         VARCHAR(253) CHARACTER SET ascii COLLATE ascii_bin NULL,
    rule_id          BIGINT        NULL,
    rule_name        VARCHAR(200)  NULL,
    severity         VARCHAR(16)   NOT NULL,
    title            VARCHAR(300)  NOT NULL,
    description      VARCHAR(4000) NULL,
    labels           TEXT          NOT NULL,
    status           VARCHAR(16)   NOT NULL,
    count            BIGINT        NOT NULL,
    source           VARCHAR(200)  NOT NULL,
    first_seen_at    DATETIME(3)   NOT NULL,
    last_seen_at     DATETIME(3)   NOT NULL,
    acknowledged_by  VARCHAR(200)  NULL,
    acknowledged_at  DATETIME(3)   NULL,
    resolved_by      VARCHAR(200)  NULL,
    resolved_at      DATETIME(3)   NULL,
    resolution       VARCHAR(16)   NULL,
    UNIQUE KEY uq_alarms_open (open_fingerprint),
    INDEX ix_alarms_fingerprint (fingerprint, resolved_at),
    INDEX ix_alarms_path (node_path),
    INDEX ix_alarms_host (hostname),
    INDEX ix_alarms_seen (last_seen_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- who did what when: raised, reopened, acknowledged, resolved, and notes (action 'note')
CREATE TABLE alarm_activity (
    id       BIGINT AUTO_INCREMENT PRIMARY KEY,
    alarm_id BIGINT        NOT NULL,
    at       DATETIME(3)   NOT NULL,
    actor    VARCHAR(200)  NULL,
    action   VARCHAR(16)   NOT NULL,
    text     VARCHAR(2000) NULL,
    INDEX ix_alarm_activity_alarm (alarm_id, id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- the stream entries already applied (by event id), so a redelivered entry changes nothing
CREATE TABLE applied_events (
    event_id   VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL PRIMARY KEY,
    applied_at DATETIME(3) NOT NULL,
    INDEX ix_applied_events_at (applied_at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
