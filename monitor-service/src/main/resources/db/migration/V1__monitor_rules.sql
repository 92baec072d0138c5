-- monitor-service: alert rules (their firing state lives in Redis, shared by every replica).
CREATE TABLE rules (
    id          BIGINT AUTO_INCREMENT PRIMARY KEY,
    name        VARCHAR(100) NOT NULL,
    node_path   VARCHAR(760) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    metric      VARCHAR(200) NOT NULL,
    tags        TEXT         NOT NULL,
    aggregator  VARCHAR(32)  NOT NULL,
    downsample  VARCHAR(32)  NULL,
    comparator  VARCHAR(2)   NOT NULL,
    threshold   DOUBLE       NOT NULL,
    for_seconds INT          NOT NULL,
    severity    VARCHAR(16)  NOT NULL,
    enabled     BOOLEAN      NOT NULL,
    created_by  VARCHAR(200) NOT NULL,
    created_at  DATETIME(3)  NOT NULL,
    updated_at  DATETIME(3)  NOT NULL,
    INDEX ix_rules_path (node_path)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
