-- The system of record for reminders: a reminder that is not final here but has no open workflow is started
-- again at boot.
CREATE TABLE reminders (
    id               uuid        PRIMARY KEY,
    user_id          uuid        NOT NULL REFERENCES users (id),
    template_name    text        NOT NULL,
    variables        jsonb       NOT NULL DEFAULT '{}'::jsonb,
    body             text,
    due_at           timestamptz NOT NULL,
    status           text        NOT NULL,
    channel          text,
    channel_reason   text,
    message_sid      text,
    attempts         integer     NOT NULL DEFAULT 0,
    last_error_code  text,
    last_error       text,
    sent_at          timestamptz,
    idempotency_key  text        UNIQUE,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX reminders_user_status ON reminders (user_id, status, due_at);
CREATE INDEX reminders_not_final ON reminders (due_at) WHERE status IN ('SCHEDULED', 'SENDING', 'SENT');

-- One row per send attempt, written before and after the Twilio call: (reminder_id, attempt_key) is what makes a
-- send happen at most once across activity retries, crashes and restarts.
--   state: sending (Twilio call under way or outcome unknown) | accepted | retry (safe to send again) | rejected
--   status: Twilio's delivery status, kept as a one-way maximum
CREATE TABLE messages (
    id              bigserial   PRIMARY KEY,
    reminder_id     uuid        NOT NULL REFERENCES reminders (id),
    attempt_key     text        NOT NULL,
    sid             text        UNIQUE,
    channel         text        NOT NULL,
    to_number       text        NOT NULL,
    state           text        NOT NULL,
    status          text,
    error_code      text,
    error_message   text,
    status_history  jsonb       NOT NULL DEFAULT '[]'::jsonb,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    UNIQUE (reminder_id, attempt_key)
);
