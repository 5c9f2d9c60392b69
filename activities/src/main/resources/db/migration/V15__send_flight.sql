-- The sender's cap counted by what can land in a second, not by when a slot was given. Every send that passes the
-- rate gate is a flight: from the moment it was let through (granted_at, before its request is written) to the moment
-- its answer or failure was back (landed_by, after Twilio has it or never will). The request reaches Twilio somewhere
-- in between, so a flight counts against every second its span touches: a send let through late in one second and
-- slowed on its way (a stalled JVM, a busy machine) also takes a slot of the next. Both instants are the database's
-- clock, which every instance shares. Like send_rate before it, no crash safety is needed: after a crash the spans
-- are long past. A flight that never lands (its instance died mid-request) counts until the request could no longer
-- be outstanding; take_send_slot is given that horizon.
CREATE UNLOGGED TABLE send_flight (
    id          bigserial   PRIMARY KEY,
    granted_at  timestamptz NOT NULL,
    landed_by   timestamptz
);
CREATE INDEX send_flight_in_air ON send_flight (granted_at) WHERE landed_by IS NULL;
CREATE INDEX send_flight_landed ON send_flight (landed_by);

-- One slot, or how long until the next second when the current one is full. Grants are serialised by a
-- transaction-scoped advisory lock; inside a volatile function each query takes a fresh snapshot, so the count sees
-- every flight granted before the lock was acquired (a single statement would count on a snapshot taken before it
-- waited for the lock). One round trip; the lock is held for the count and the insert only.
CREATE FUNCTION take_send_slot(mps int, horizon interval, OUT flight bigint, OUT wait_ms int)
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    now_at    timestamptz;
    second_at timestamptz;
    charged   bigint;
BEGIN
    PERFORM pg_advisory_xact_lock(7163527260731);
    now_at := clock_timestamp();
    second_at := date_trunc('second', now_at);
    SELECT (SELECT count(*) FROM send_flight WHERE landed_by IS NULL AND granted_at > now_at - horizon)
         + (SELECT count(*) FROM send_flight WHERE landed_by >= second_at)
      INTO charged;
    IF charged < mps THEN
        INSERT INTO send_flight (granted_at) VALUES (now_at) RETURNING id INTO flight;
        wait_ms := 0;
    ELSE
        flight := NULL;
        wait_ms := ceil(extract(epoch FROM second_at + interval '1 second' - now_at) * 1000)::int;
    END IF;
END
$$;

DROP TABLE send_rate;
