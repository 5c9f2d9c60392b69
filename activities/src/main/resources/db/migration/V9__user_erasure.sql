-- A user erased on request (DELETE /api/users/{id}): the row stays as a tombstone (its id, time zone, created_at and
-- erased_at), so reminder and message counts still add up; name, email and phone are gone.
ALTER TABLE users ADD COLUMN erased_at timestamptz;
ALTER TABLE users ALTER COLUMN display_name DROP NOT NULL;
-- The message history of a user, newest first: outbound messages through their reminders.
CREATE INDEX messages_reminder_created ON messages (reminder_id, created_at DESC);
