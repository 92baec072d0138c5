-- deploy-service: every change of a deployment's or a host's status, in order, written with the change:
-- what GET /api/deploy/deployments/{id}/events replays (with host_logs' lines) and resumes from.
CREATE TABLE deployment_events (
    id            BIGINT AUTO_INCREMENT PRIMARY KEY,
    deployment_id BIGINT        NOT NULL,
    at            DATETIME(3)   NOT NULL,
    hostname      VARCHAR(253)  NULL,
    status        VARCHAR(24)   NOT NULL,
    reason        VARCHAR(1000) NULL,
    exit_code     INT           NULL,
    INDEX ix_deployment_events (deployment_id, id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
