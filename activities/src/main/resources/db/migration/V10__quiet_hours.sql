-- Quiet hours per user, in their time zone: NULL start/end mean the default 21:00–08:00; quiet_hours_off turns them
-- off for the user.
ALTER TABLE users ADD COLUMN quiet_hours_start text;
ALTER TABLE users ADD COLUMN quiet_hours_end text;
ALTER TABLE users ADD COLUMN quiet_hours_off boolean NOT NULL DEFAULT false;
-- A reminder's choice ('respect' or 'ignore'; NULL for reminders created before quiet hours, which ignore them), and
-- the send time its due time was deferred to, and why, while it is.
ALTER TABLE reminders ADD COLUMN quiet_hours text;
ALTER TABLE reminders ADD COLUMN deferred_until timestamptz;
ALTER TABLE reminders ADD COLUMN deferred_reason text;
