-- Silences: alarms on node_path and below whose labels match every matcher are not notified while the
-- window is on; repeat_every (daily | weekly) makes [starts_at, ends_at) come back every day or week
-- (a maintenance window).
CREATE TABLE silences (
    id           BIGINT AUTO_INCREMENT PRIMARY KEY,
    node_path    VARCHAR(760) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    matchers     TEXT         NOT NULL,
    starts_at    DATETIME(3)  NOT NULL,
    ends_at      DATETIME(3)  NOT NULL,
    repeat_every VARCHAR(8)   NULL,
    comment      VARCHAR(500) NOT NULL,
    created_by   VARCHAR(200) NOT NULL,
    created_at   DATETIME(3)  NOT NULL,
    INDEX ix_silences_path (node_path)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
