-- Every inbound WhatsApp message, stored once per Twilio MessageSid (Twilio retries a webhook it did not see answered).
CREATE TABLE inbound_messages (
    sid             text        PRIMARY KEY,
    user_id         uuid        REFERENCES users (id),
    from_number     text        NOT NULL,
    profile_name    text,
    body            text        NOT NULL DEFAULT '',
    media           jsonb       NOT NULL DEFAULT '[]'::jsonb,
    button_payload  text,
    button_text     text,
    replied_to_sid  text,
    received_at     timestamptz NOT NULL,
    interpretation  text,
    reminder_id     uuid,
    processed_at    timestamptz
);
CREATE INDEX inbound_messages_user ON inbound_messages (user_id, received_at DESC);
CREATE INDEX inbound_messages_unprocessed ON inbound_messages (received_at) WHERE processed_at IS NULL;

-- STOP (or Twilio 21610 on a send) opts a user out until they send START.
ALTER TABLE users ADD COLUMN opted_out_at timestamptz;

-- Reminders may ask to be acknowledged and re-sent until they are.
ALTER TABLE reminders ADD COLUMN nudge_every_seconds integer;
ALTER TABLE reminders ADD COLUMN nudge_max integer;
ALTER TABLE reminders ADD COLUMN acknowledged_at timestamptz;
