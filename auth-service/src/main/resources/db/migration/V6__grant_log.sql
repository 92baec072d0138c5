-- Every grant given and taken (revoked; not those that went with a deleted user, token or node), for what changed
-- before an alarm. node_path is kept current when the node is renamed or moved, like the grants'.
CREATE TABLE grant_log (
    id        BIGINT AUTO_INCREMENT PRIMARY KEY,
    grant_id  BIGINT       NOT NULL,
    subject   VARCHAR(80)  NOT NULL,
    node_path VARCHAR(700) NOT NULL,
    privilege VARCHAR(32)  NOT NULL,
    -- granted | revoked
    action    VARCHAR(16)  NOT NULL,
    actor     VARCHAR(80)  NOT NULL,
    at        DATETIME(3)  NOT NULL,
    INDEX ix_grant_log_path (node_path, at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
