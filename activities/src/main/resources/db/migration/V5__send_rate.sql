-- The sender's messages-per-second cap across every instance: one row per second that had sends, counted atomically.
-- Rows older than a minute are deleted by the senders themselves.
CREATE TABLE send_rate (
    window_start  timestamptz PRIMARY KEY,
    sends         int         NOT NULL
);
