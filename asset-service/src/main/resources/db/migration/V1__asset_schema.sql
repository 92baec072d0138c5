-- asset-service schema. Timestamps are UTC DATETIME(3).
CREATE TABLE idcs (
    id         BIGINT AUTO_INCREMENT PRIMARY KEY,
    name       VARCHAR(64)  NOT NULL,
    location   VARCHAR(128) NOT NULL DEFAULT '',
    network    VARCHAR(49)  NOT NULL,
    created_at DATETIME(3)  NOT NULL,
    CONSTRAINT uk_idcs_name UNIQUE (name)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- The list/search path reads this table alone: IPs and MACs are kept here as comma-joined text.
CREATE TABLE servers (
    id          BIGINT AUTO_INCREMENT PRIMARY KEY,
    hostname    VARCHAR(253)  NOT NULL,
    sn          VARCHAR(64)   NOT NULL,
    type        VARCHAR(8)    NOT NULL,
    vm_host_id  BIGINT        NULL,
    idc         VARCHAR(64)   NULL,
    private_ips VARCHAR(1024) NOT NULL DEFAULT '',
    public_ips  VARCHAR(1024) NOT NULL DEFAULT '',
    macs        VARCHAR(1024) NOT NULL DEFAULT '',
    cpu_cores   INT           NULL,
    memory_mb   INT           NULL,
    disk_gb     INT           NULL,
    os          VARCHAR(128)  NULL,
    status      VARCHAR(16)   NOT NULL,
    created_at  DATETIME(3)   NOT NULL,
    updated_at  DATETIME(3)   NOT NULL,
    CONSTRAINT uk_servers_hostname UNIQUE (hostname),
    CONSTRAINT uk_servers_sn UNIQUE (sn),
    CONSTRAINT fk_servers_vm_host FOREIGN KEY (vm_host_id) REFERENCES servers (id),
    INDEX ix_servers_idc (idc),
    INDEX ix_servers_status (status),
    INDEX ix_servers_type (type)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- Private addresses are unique across the inventory: one row per address.
CREATE TABLE server_private_ips (
    ip        VARCHAR(45) NOT NULL PRIMARY KEY,
    server_id BIGINT      NOT NULL,
    CONSTRAINT fk_private_ips_server FOREIGN KEY (server_id) REFERENCES servers (id) ON DELETE CASCADE,
    INDEX ix_private_ips_server (server_id)
) ENGINE = InnoDB DEFAULT CHARSET = ascii COLLATE = ascii_bin;

-- Hostnames and addresses handed out by POST /api/asset/allocations: never handed out twice.
CREATE TABLE allocations (
    id         BIGINT AUTO_INCREMENT PRIMARY KEY,
    idc        VARCHAR(64)  NOT NULL,
    prefix     VARCHAR(40)  NOT NULL,
    number     INT          NOT NULL,
    hostname   VARCHAR(253) NOT NULL,
    private_ip VARCHAR(45)  NOT NULL,
    allocated_by VARCHAR(80) NOT NULL,
    created_at DATETIME(3)  NOT NULL,
    CONSTRAINT uk_allocations_hostname UNIQUE (hostname),
    CONSTRAINT uk_allocations_ip UNIQUE (private_ip),
    INDEX ix_allocations_prefix (prefix, number)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
