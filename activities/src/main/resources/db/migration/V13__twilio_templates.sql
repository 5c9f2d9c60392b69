-- The account's content templates as Twilio's Content API last reported them (templates sync): what is approved for
-- WhatsApp, with which variables and text. Replaced as a whole by each sync.
CREATE TABLE twilio_templates (
  sid              text PRIMARY KEY,
  friendly_name    text,
  language         text,
  variables        jsonb NOT NULL DEFAULT '{}'::jsonb,
  body             text,
  whatsapp_name    text,
  status           text,
  category         text,
  rejection_reason text,
  synced_at        timestamptz NOT NULL
);
