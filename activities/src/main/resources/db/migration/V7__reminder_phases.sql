-- The reminder workflow's phase machine: where it stands (phase), which round (1, then +1 per snooze), how many
-- nudges this round, and when the user was first sent it. A reminder is final when its phase is DONE: READ or
-- DELIVERED alone no longer say so (the reply window may still be open).
ALTER TABLE reminders ADD COLUMN phase text;
ALTER TABLE reminders ADD COLUMN round integer NOT NULL DEFAULT 1;
ALTER TABLE reminders ADD COLUMN nudges_sent integer NOT NULL DEFAULT 0;
ALTER TABLE reminders ADD COLUMN first_sent_at timestamptz;
UPDATE reminders SET phase = 'DONE' WHERE status IN ('CANCELLED', 'FAILED', 'ACKNOWLEDGED', 'OPTED_OUT');
UPDATE reminders SET phase = status WHERE phase IS NULL AND status IN ('SCHEDULED', 'SENDING');
UPDATE reminders SET phase = 'AWAITING_REPLY' WHERE phase IS NULL;
UPDATE reminders SET first_sent_at = sent_at WHERE first_sent_at IS NULL;
ALTER TABLE reminders ALTER COLUMN phase SET NOT NULL;
ALTER TABLE reminders ALTER COLUMN phase SET DEFAULT 'SCHEDULED';
DROP INDEX IF EXISTS reminders_not_final;
CREATE INDEX reminders_not_done ON reminders (due_at) WHERE phase <> 'DONE';

-- Replies that belong to no reminder (STOP/START confirmations, "which one?") are messages too: every message sent
-- is in this table. Their attempt key (reply-<inbound SID>) is unique on its own.
ALTER TABLE messages ALTER COLUMN reminder_id DROP NOT NULL;
CREATE UNIQUE INDEX messages_unowned_attempt ON messages (attempt_key) WHERE reminder_id IS NULL;

-- Status callbacks on their way to the reminder's workflow: written in the same transaction that records the callback,
-- deleted once Temporal accepted the signal (or the workflow had closed and the row took the status instead), so a
-- callback the webhook accepted is never lost to a restart or an unreachable Temporal.
CREATE TABLE status_relay (
    id               bigserial   PRIMARY KEY,
    reminder_id      uuid        NOT NULL,
    message_sid      text        NOT NULL,
    status           text        NOT NULL,
    error_code       text,
    error_message    text,
    attempts         integer     NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz NOT NULL DEFAULT now(),
    created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX status_relay_due ON status_relay (next_attempt_at, id);
