-- ptree-service keeps the tree itself in ZooKeeper; MariaDB holds the history of changes and the
-- review queue (it grows without bound and is searched by path and status). Timestamps: UTC DATETIME(3).
CREATE TABLE changes (
    id             BIGINT AUTO_INCREMENT PRIMARY KEY,
    kind           VARCHAR(16)  NOT NULL,
    node_id        BIGINT       NULL,
    -- the node's path, kept current when the node (or an ancestor) is renamed or moved
    node_path      VARCHAR(760) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    before_state   TEXT         NULL,
    after_state    TEXT         NULL,
    reason         VARCHAR(500) NULL,
    actor          VARCHAR(200) NOT NULL,
    at             DATETIME(3)  NOT NULL,
    status         VARCHAR(16)  NOT NULL,
    decided_by     VARCHAR(200) NULL,
    decided_at     DATETIME(3)  NULL,
    revert_of      BIGINT       NULL,
    reverted_by    VARCHAR(200) NULL,
    reverted_at    DATETIME(3)  NULL,
    INDEX ix_changes_path (node_path),
    INDEX ix_changes_status (status, id),
    INDEX ix_changes_node (node_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
