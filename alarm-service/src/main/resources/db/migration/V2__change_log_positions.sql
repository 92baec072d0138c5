-- How far this service has applied another service's change log (ptree-service's path changes):
-- the sequence of the last entry applied, moved in the same transaction as the entry's effect.
CREATE TABLE change_log_positions (
    name     VARCHAR(100) NOT NULL PRIMARY KEY,
    position BIGINT       NOT NULL
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
