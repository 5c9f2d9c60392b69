-- A reminder is stored before its workflow is started. workflow_start_at is set while the workflow may not exist yet:
-- the time from which the workflow starter may (re)try to start it (the API's own attempt holds it a little into the
-- future). NULL once Temporal has the workflow. Rows stored before this column existed have their workflows.
ALTER TABLE reminders ADD COLUMN workflow_start_at timestamptz;
CREATE INDEX reminders_workflow_start ON reminders (workflow_start_at, due_at) WHERE workflow_start_at IS NOT NULL;
