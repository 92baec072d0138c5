-- deploy-service: deployment templates per tree node. Every save is a new revision (template_revisions
-- keeps each one's full spec as JSON, and keeps it after the template is deleted: deployments pin a
-- revision); templates holds the current revision and what lists filter on.
CREATE TABLE templates (
    id          BIGINT AUTO_INCREMENT PRIMARY KEY,
    name        VARCHAR(100) NOT NULL,
    node_path   VARCHAR(760) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
    type        VARCHAR(16)  NOT NULL,
    revision    INT          NOT NULL,
    created_by  VARCHAR(200) NOT NULL,
    created_at  DATETIME(3)  NOT NULL,
    updated_by  VARCHAR(200) NOT NULL,
    updated_at  DATETIME(3)  NOT NULL,
    UNIQUE KEY uq_templates_node_name (node_path, name),
    INDEX ix_templates_path (node_path)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE TABLE template_revisions (
    template_id BIGINT       NOT NULL,
    revision    INT          NOT NULL,
    spec        MEDIUMTEXT   NOT NULL,
    created_by  VARCHAR(200) NOT NULL,
    created_at  DATETIME(3)  NOT NULL,
    PRIMARY KEY (template_id, revision)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
