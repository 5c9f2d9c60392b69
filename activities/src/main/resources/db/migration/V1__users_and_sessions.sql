-- People Norns can message. phone_number is E.164 (normalized by the API with libphonenumber).
CREATE TABLE users (
    id            uuid        PRIMARY KEY,
    display_name  text        NOT NULL,
    email         text,
    phone_number  text        UNIQUE,
    timezone      text        NOT NULL DEFAULT 'UTC',
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT users_phone_e164 CHECK (phone_number IS NULL OR phone_number ~ '^\+[1-9][0-9]{6,14}$')
);

-- The WhatsApp 24-hour customer-service window, one row per phone (the runbook's table). The source of truth:
-- Redis only caches it.
CREATE TABLE whatsapp_sessions (
    phone_number      text        PRIMARY KEY,
    last_inbound_at   timestamptz NOT NULL,
    window_expires_at timestamptz NOT NULL
);
