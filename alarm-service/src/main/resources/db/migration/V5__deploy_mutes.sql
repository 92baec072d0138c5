-- The deployment whose batch muted an alarm (its host was in the running batch), named in its notification.
ALTER TABLE alarms ADD COLUMN muted_by_deployment BIGINT NULL, ADD COLUMN muted_by_version VARCHAR(200) NULL;
