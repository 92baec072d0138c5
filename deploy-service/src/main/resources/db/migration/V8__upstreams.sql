-- deploy-service: an nginx template's deployment pins the upstream block it renders (from the node's
-- servers and traffic ratios when it was created), so every host, a retry and a rollback get the same one.
ALTER TABLE deployments ADD COLUMN upstream MEDIUMTEXT NULL;
