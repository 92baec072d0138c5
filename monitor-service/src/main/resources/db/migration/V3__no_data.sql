-- no_data_seconds: a host (host.* metrics) or domain (url.* metrics) bound below the rule's node that has reported
-- no value of the metric for this long raises an alert of its own; NULL: silence is not judged.
ALTER TABLE rules ADD COLUMN no_data_seconds INT NULL;
