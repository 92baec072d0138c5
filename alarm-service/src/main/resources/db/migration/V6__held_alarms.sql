-- notified_at: the alarm was in a notification. held_at: a silence or a running deployment held it back when its
-- incident was judged; once nothing holds it, an incident already notified for others sends a follow-up for it.
ALTER TABLE alarms ADD COLUMN notified_at DATETIME(3) NULL, ADD COLUMN held_at DATETIME(3) NULL,
    ADD INDEX ix_alarms_held (held_at, notified_at);
