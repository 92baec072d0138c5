-- When the session (refresh-token family) began: it ends at that time + loki.auth.session-max-lifetime,
-- however often it is refreshed. Existing rows start from their own creation.
ALTER TABLE refresh_tokens ADD COLUMN family_started_at DATETIME(3) NULL;
UPDATE refresh_tokens SET family_started_at = created_at WHERE family_started_at IS NULL;
ALTER TABLE refresh_tokens MODIFY family_started_at DATETIME(3) NOT NULL;
