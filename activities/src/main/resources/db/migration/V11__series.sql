-- Recurring reminders: a series makes one reminder per occurrence of its RRULE, evaluated in its time zone from its
-- local start. Its content is what each occurrence is made with (an edit applies from the next occurrence on).
CREATE TABLE series (
  id                  uuid PRIMARY KEY,
  user_id             uuid NOT NULL REFERENCES users (id),
  recurrence          text NOT NULL,
  timezone            text NOT NULL,
  starts_at_local     timestamp NOT NULL,
  template_name       text,
  variables           jsonb NOT NULL DEFAULT '{}'::jsonb,
  body                text,
  nudge_every_seconds integer,
  nudge_max           integer,
  quiet_hours         text NOT NULL DEFAULT 'respect',
  status              text NOT NULL DEFAULT 'ACTIVE',
  next_due_at         timestamptz,
  next_reminder_id    uuid,
  occurrences         integer NOT NULL DEFAULT 0,
  idempotency_key     text UNIQUE,
  created_at          timestamptz NOT NULL DEFAULT now(),
  updated_at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX series_user ON series (user_id, created_at DESC);
ALTER TABLE reminders ADD COLUMN series_id uuid REFERENCES series (id);
CREATE INDEX reminders_series ON reminders (series_id, due_at DESC) WHERE series_id IS NOT NULL;
