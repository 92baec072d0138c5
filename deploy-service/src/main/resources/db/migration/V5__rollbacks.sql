-- deploy-service: a deployment that rolls another back names it.
ALTER TABLE deployments ADD COLUMN rollback_of BIGINT NULL;
