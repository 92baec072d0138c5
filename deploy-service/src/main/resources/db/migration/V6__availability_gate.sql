-- deploy-service: a batch whose template has an availability gate bakes before the next one starts:
-- gate_batch is the batch being judged, over the window [gate_from, gate_until] (the database's clock).
-- Kept in the row so that a restarted or another replica goes on waiting, then judges, where it was.
ALTER TABLE deployments
    ADD COLUMN gate_batch INT         NULL,
    ADD COLUMN gate_from  DATETIME(3) NULL,
    ADD COLUMN gate_until DATETIME(3) NULL;
