-- The per-second send counter needs no crash safety: after a crash its seconds are long past. Unlogged, a slot costs
-- no WAL and its commit does not wait for a WAL flush (the limiter takes one per send, up to the sender's MPS a second,
-- each in the critical path between a send being due and it reaching Twilio).
ALTER TABLE send_rate SET UNLOGGED;
