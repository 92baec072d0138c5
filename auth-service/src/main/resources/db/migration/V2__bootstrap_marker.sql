-- One-time start-up steps that must never run again, even when what they made is gone later:
-- a deleted admin account is not re-created from LOKI_ADMIN_PASSWORD at the next start.
CREATE TABLE bootstrap (
    step    VARCHAR(64) NOT NULL PRIMARY KEY,
    done_at DATETIME(3) NOT NULL
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- installations that already have their admin account have done the step
INSERT INTO bootstrap (step, done_at) SELECT 'admin-account', UTC_TIMESTAMP(3) FROM users WHERE username = 'admin';
