-- deploy-service: a host of a drain-aware template is taken out of traffic (its bindings offline, through
-- ptree-service) before its steps and put back after its health check; drained says it is out now, so a
-- restarted replica restores it, and a failed host shows that it was left drained.
ALTER TABLE deployment_hosts ADD COLUMN drained BOOLEAN NOT NULL DEFAULT FALSE;
