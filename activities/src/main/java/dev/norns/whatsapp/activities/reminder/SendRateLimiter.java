package dev.norns.whatsapp.activities.reminder;

import dev.norns.whatsapp.activities.twilio.WireGate;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sender's messages-per-second cap, in total across every instance, counted in PostgreSQL, which all instances
 * share. A send is counted against every second it may reach Twilio in: from the moment it passes the gate (its
 * request built, about to be written) to the moment its answer or failure is back. A send let through late in one
 * second, or slowed on its way by a stalled JVM or a busy machine, takes a slot of the next second as well, so no
 * second can receive more than the cap, however long any instance pauses between its slot and the wire. Temporal's
 * task-queue rate limit does the same for the workers of one task queue; this also holds across Temporal clusters
 * or namespaces sharing one sender. Seconds follow the database's clock, so instances with skewed clocks agree on
 * them.
 */
public final class SendRateLimiter implements WireGate {
  private static final Logger log = LoggerFactory.getLogger(SendRateLimiter.class);

  private static final String TAKE = "SELECT flight, wait_ms FROM take_send_slot(:mps, :horizon::interval)";
  /** Marks a flight landed; whether it spanned two seconds (it then took a slot of each). */
  private static final String LAND = "UPDATE send_flight SET landed_by = clock_timestamp() WHERE id = :id "
      + "RETURNING date_trunc('second', granted_at) <> date_trunc('second', landed_by)";
  /**
   * Flights are kept 10 minutes after they landed (or their horizon passed): the count needs only the current second,
   * but an operator, or the benchmark comparing arrivals with flights, can look back over a whole burst. At 80 msg/s
   * that is 48,000 small rows.
   */
  private static final String FORGET = "DELETE FROM send_flight WHERE coalesce(landed_by, granted_at + :horizon::interval)"
      + " < clock_timestamp() - interval '10 minutes'";
  private static final long FORGET_EVERY_NANOS = Duration.ofSeconds(10).toNanos();

  private final Jdbi jdbi;
  private final int mps;
  private final Duration maxWait;
  private final String horizon;
  private final AtomicLong spanning = new AtomicLong();
  private final AtomicLong lastForget = new AtomicLong(System.nanoTime() - FORGET_EVERY_NANOS);

  /**
   * {@code maxWait}: how long one send may wait for a slot before giving up (the send is then retried later).
   * {@code horizon}: the longest a request can be outstanding (connect and answer timeouts, with a margin); a send
   * whose instance died before it landed counts that long.
   */
  public SendRateLimiter(Jdbi jdbi, int mps, Duration maxWait, Duration horizon) {
    if (mps < 1) {
      throw new IllegalArgumentException("messages per second must be at least 1: " + mps);
    }
    if (horizon.isNegative() || horizon.isZero()) {
      throw new IllegalArgumentException("the horizon of a send must be positive: " + horizon);
    }
    this.jdbi = jdbi;
    this.mps = mps;
    this.maxWait = maxWait;
    this.horizon = horizon.toMillis() + " milliseconds";
  }

  /**
   * Waits for a slot in the current second; the flight it opens must be landed once the request's answer or failure
   * is back. Null when no slot came within the maximum wait (nothing may be sent).
   */
  @Override
  public Flight pass() {
    long deadline = System.nanoTime() + maxWait.toNanos();
    forgetOldFlights();
    while (true) {
      Slot slot = jdbi.withHandle(h -> h.createQuery(TAKE).bind("mps", mps).bind("horizon", horizon)
          .map((rs, ctx) -> new Slot(rs.getObject(1, Long.class), rs.getInt(2)))
          .one());
      if (slot.flight() != null) {
        long id = slot.flight();
        return () -> land(id);
      }
      long waitMillis = Math.max(1, slot.waitMillis());
      if (System.nanoTime() + waitMillis * 1_000_000 > deadline) {
        log.warn("whatsapp send rate: no slot within {} at {} msg/s", maxWait, mps);
        return null;
      }
      try {
        Thread.sleep(waitMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return null;
      }
    }
  }

  /**
   * The flight's request is answered (or failed): it no longer counts against seconds to come. If this cannot be
   * written, the flight keeps counting until its horizon: a slot lost, never one too many.
   */
  private void land(long id) {
    try {
      boolean spanned = jdbi.withHandle(h -> h.createQuery(LAND).bind("id", id).mapTo(Boolean.class).findOne())
          .orElse(false);
      if (spanned) {
        spanning.incrementAndGet();
      }
    } catch (RuntimeException e) {
      log.warn("whatsapp send rate: could not mark send {} landed; it keeps a slot of each second for up to {}", id,
          horizon, e);
    }
  }

  private void forgetOldFlights() {
    long last = lastForget.get();
    long now = System.nanoTime();
    if (now - last >= FORGET_EVERY_NANOS && lastForget.compareAndSet(last, now)) {
      jdbi.useHandle(h -> h.createUpdate(FORGET).bind("horizon", horizon).execute());
    }
  }

  /** A flight, or (none) the milliseconds until the next second. */
  private record Slot(Long flight, int waitMillis) {}

  public int mps() {
    return mps;
  }

  /** Sends whose flight spanned two seconds or more, so that each took a slot of every one of them. */
  public long spanningSends() {
    return spanning.get();
  }
}
