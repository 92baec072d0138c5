-- Every change of a binding (bound, unbound, its traffic ratio or offline flag changed), after it was applied in
-- ZooKeeper: the bindings' history, for what changed before an alarm. node_path is kept current like changes'.
CREATE TABLE binding_log (
    id            BIGINT AUTO_INCREMENT PRIMARY KEY,
    node_id       BIGINT       NOT NULL,
    node_path     VARCHAR(760) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    hostname      VARCHAR(253) NOT NULL,
    -- bound | unbound | updated
    action        VARCHAR(16)  NOT NULL,
    before_ratio  DOUBLE       NULL,
    before_offline BOOLEAN     NULL,
    after_ratio   DOUBLE       NULL,
    after_offline BOOLEAN      NULL,
    actor         VARCHAR(200) NOT NULL,
    at            DATETIME(3)  NOT NULL,
    INDEX ix_binding_log_path (node_path, at),
    INDEX ix_binding_log_host (hostname, at)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
