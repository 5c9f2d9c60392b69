-- What the built-in Twilio sandbox accepted (used only when no Twilio account is configured). Kept in PostgreSQL so
-- the sandbox's record survives a restart just like the reminders it shows.
CREATE TABLE sandbox_messages (
    sid                text        PRIMARY KEY,
    account_sid        text        NOT NULL,
    to_number          text        NOT NULL,
    from_number        text        NOT NULL,
    body               text,
    content_sid        text,
    content_variables  text,
    status             text        NOT NULL,
    status_callback    text,
    created_at         timestamptz NOT NULL DEFAULT now()
);
