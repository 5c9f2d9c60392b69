-- A proactive message may be plain text with no template: it can only go out inside the session window.
ALTER TABLE reminders ALTER COLUMN template_name DROP NOT NULL;
