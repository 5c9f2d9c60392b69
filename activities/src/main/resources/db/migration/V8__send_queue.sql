-- Dispatch ahead: a reminder's workflow queues its send here before the due time; the workers' dispatcher takes due
-- rows (SKIP LOCKED, with a lease so a stopped worker's rows are taken again), sends at the sender's rate and deletes
-- the row in the transaction that queues its report for the workflow in status_relay. The attempt key is the one the
-- messages table claims, so a send is one Twilio call whoever makes it (dispatcher or the workflow's own activity).
CREATE TABLE send_queue (
    reminder_id  uuid        NOT NULL,
    attempt_key  text        NOT NULL,
    due_at       timestamptz NOT NULL,
    message      jsonb       NOT NULL,
    taken_by     text,
    lease_until  timestamptz,
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (reminder_id, attempt_key)
);
CREATE INDEX send_queue_due ON send_queue (due_at);

-- The relay also carries the dispatcher's reports (attempt key and outcome; no SID or status for a refusal), and
-- holds each row a moment so a send's report and its first callbacks reach the workflow as one signal.
ALTER TABLE status_relay ALTER COLUMN message_sid DROP NOT NULL;
ALTER TABLE status_relay ALTER COLUMN status DROP NOT NULL;
ALTER TABLE status_relay ADD COLUMN attempt_key text;
ALTER TABLE status_relay ADD COLUMN outcome jsonb;
CREATE INDEX status_relay_reminder ON status_relay (reminder_id);
