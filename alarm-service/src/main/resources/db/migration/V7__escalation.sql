-- escalate_after_seconds: the channel is told only once an incident has been notified that long and still has an
-- alarm nobody acknowledged (an escalation). repeat_seconds: the channel is told again every that long while so.
ALTER TABLE subscriptions ADD COLUMN escalate_after_seconds INT NULL, ADD COLUMN repeat_seconds INT NULL;
