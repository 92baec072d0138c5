-- deploy-service: deployments. A deployment pins its template's revision and the exact plan (its
-- batches, as previewed); deployment_hosts holds each host's place and progress; host_steps is the
-- journal written before and after every SSH action (a step started but not finished is run again
-- after a restart: the host's exit marker then answers without running it twice); host_logs keeps
-- every output line. The driving replica holds a lease on the row (lease_owner until lease_until).
CREATE TABLE deployments (
    id              BIGINT AUTO_INCREMENT PRIMARY KEY,
    template_id     BIGINT        NOT NULL,
    revision        INT           NOT NULL,
    node_path       VARCHAR(760)  CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    version         VARCHAR(128)  NOT NULL,
    parameters      MEDIUMTEXT    NOT NULL,
    status          VARCHAR(24)   NOT NULL,
    reason          VARCHAR(1000) NULL,
    batch_count     INT           NOT NULL,
    current_batch   INT           NOT NULL,
    max_failures    INT           NOT NULL,
    on_failure      VARCHAR(8)    NOT NULL,
    pause_after_first_batch BOOLEAN NOT NULL,
    requested_by    VARCHAR(200)  NOT NULL,
    created_at      DATETIME(3)   NOT NULL,
    started_at      DATETIME(3)   NULL,
    finished_at     DATETIME(3)   NULL,
    -- the template while unfinished, NULL once finished: at most one unfinished deployment per template
    active_template BIGINT        NULL,
    lease_owner     VARCHAR(100)  NULL,
    lease_until     DATETIME(3)   NULL,
    UNIQUE KEY uq_deployments_active (active_template),
    INDEX ix_deployments_path (node_path, id),
    INDEX ix_deployments_template (template_id, id),
    INDEX ix_deployments_status (status, lease_until)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE deployment_hosts (
    deployment_id BIGINT        NOT NULL,
    hostname      VARCHAR(253)  NOT NULL,
    address       VARCHAR(253)  NOT NULL,
    idc           VARCHAR(100)  NULL,
    traffic_ratio DOUBLE        NOT NULL,
    batch_index   INT           NOT NULL,
    position      INT           NOT NULL,
    status        VARCHAR(16)   NOT NULL,
    step          INT           NOT NULL,
    attempt       INT           NOT NULL,
    exit_code     INT           NULL,
    reason        VARCHAR(1000) NULL,
    started_at    DATETIME(3)   NULL,
    finished_at   DATETIME(3)   NULL,
    PRIMARY KEY (deployment_id, hostname),
    INDEX ix_deployment_hosts_batch (deployment_id, batch_index, position)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE host_steps (
    deployment_id BIGINT       NOT NULL,
    hostname      VARCHAR(253) NOT NULL,
    step          INT          NOT NULL,
    attempt       INT          NOT NULL,
    name          VARCHAR(100) NOT NULL,
    started_at    DATETIME(3)  NOT NULL,
    finished_at   DATETIME(3)  NULL,
    exit_code     INT          NULL,
    PRIMARY KEY (deployment_id, hostname, step, attempt)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE host_logs (
    id            BIGINT AUTO_INCREMENT PRIMARY KEY,
    deployment_id BIGINT        NOT NULL,
    hostname      VARCHAR(253)  NOT NULL,
    at            DATETIME(3)   NOT NULL,
    stream        CHAR(3)       NOT NULL,
    line          TEXT          NOT NULL,
    INDEX ix_host_logs_host (deployment_id, hostname, id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
