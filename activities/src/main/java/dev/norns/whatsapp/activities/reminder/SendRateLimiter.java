package dev.norns.whatsapp.activities.reminder;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sender's messages-per-second cap, in total across every instance: a fixed one-second window counted in
 * PostgreSQL, which all instances share. Temporal's task-queue activity rate limit does the same for the workers of
 * one task queue; this also holds across Temporal clusters or namespaces sharing one sender. Windows follow the
 * database's clock, so instances with skewed clocks still agree on them.
 */
public final class SendRateLimiter {
  private static final Logger log = LoggerFactory.getLogger(SendRateLimiter.class);

  /**
   * Takes a slot in the current second unless it is full, or the second is in its last {@value #TAIL_MS} ms: a send
   * whose slot was taken that late could reach Twilio in the next second, on top of that second's own slots. The new
   * count, or no row.
   */
  private static final String TAKE = """
      INSERT INTO send_rate (window_start, sends)
      SELECT date_trunc('second', now), 1 FROM (SELECT clock_timestamp() AS now) t
       WHERE extract(microseconds FROM now)::bigint % 1000000 < (1000 - :tail) * 1000
      ON CONFLICT (window_start) DO UPDATE SET sends = send_rate.sends + 1 WHERE send_rate.sends < :mps
      RETURNING sends, (EXTRACT(EPOCH FROM window_start + interval '1 second' - clock_timestamp()) * 1000000)::bigint""";
  /**
   * The end of each second in which no slot is given out. 200 ms let one second of a 10,000 burst reach the sandbox
   * with 82 sends (the workflow starter still starting workflows beside the dispatcher, a send lagged its slot by
   * more than 200 ms); at 300 ms the same burst had 80 at most and lost no rate (79.3/s).
   */
  static final int TAIL_MS = 300;
  /**
   * How long before its second ends a slot must be in the sender's hands (the send's request built, about to be
   * written: {@code WireGate}). A slot whose answer came back later (the instance starved of CPU between PostgreSQL and
   * the JVM: two instances on 2 cores once let a send reach the sandbox more than 300 ms after its slot was taken, 82
   * sends in one second) is not used: it stays counted in its second, and another is taken.
   */
  static final long SEND_BY_MS = 200;
  private static final String UNTIL_NEXT_SECOND =
      "SELECT CEIL(EXTRACT(EPOCH FROM date_trunc('second', clock_timestamp()) + interval '1 second' "
          + "- clock_timestamp()) * 1000)::bigint";
  private static final String FORGET = "DELETE FROM send_rate WHERE window_start < clock_timestamp() - interval '1 minute'";

  private final Jdbi jdbi;
  private final int mps;
  private final Duration maxWait;
  private final LongSupplier nanoTime;
  private final AtomicLong staleSlots = new AtomicLong();

  /** {@code maxWait}: how long one send may wait for a slot before giving up (the activity is then retried). */
  public SendRateLimiter(Jdbi jdbi, int mps, Duration maxWait) {
    this(jdbi, mps, maxWait, System::nanoTime);
  }

  /** With the monotonic clock the slot's freshness is measured on ({@link System#nanoTime} outside tests). */
  SendRateLimiter(Jdbi jdbi, int mps, Duration maxWait, LongSupplier nanoTime) {
    this.nanoTime = nanoTime;
    if (mps < 1) {
      throw new IllegalArgumentException("messages per second must be at least 1: " + mps);
    }
    this.jdbi = jdbi;
    this.mps = mps;
    this.maxWait = maxWait;
  }

  /**
   * Waits for a slot in some second that is still {@value #SEND_BY_MS} ms or more from its end when it reaches the
   * caller; false when none came within the maximum wait.
   */
  public boolean acquire() {
    long deadline = System.nanoTime() + maxWait.toNanos();
    while (true) {
      long asked = nanoTime.getAsLong();
      Optional<Taken> taken = jdbi.withHandle(h -> h.createQuery(TAKE).bind("mps", mps).bind("tail", TAIL_MS)
          .map((rs, ctx) -> new Taken(rs.getInt(1), rs.getLong(2)))
          .findOne());
      if (taken.isPresent()) {
        if (taken.get().sends() == 1) {
          // First send of a new second: at most once a second, drop the windows nobody needs any more.
          jdbi.useHandle(h -> h.execute(FORGET));
        }
        // The second ends no earlier than the ask plus what was left of it when PostgreSQL gave the slot.
        long sendBy = asked + taken.get().leftMicros() * 1_000 - SEND_BY_MS * 1_000_000;
        if (nanoTime.getAsLong() <= sendBy) {
          return true;
        }
        long stale = staleSlots.incrementAndGet();
        log.warn("whatsapp send rate: a slot came back too late to be used in its second (stale slots so far: {}); "
            + "taking another", stale);
        continue;
      }
      long waitMillis = jdbi.withHandle(h -> h.createQuery(UNTIL_NEXT_SECOND).mapTo(Long.class).one()) + 1;
      if (System.nanoTime() + waitMillis * 1_000_000 > deadline) {
        log.warn("whatsapp send rate: no slot within {} at {} msg/s", maxWait, mps);
        return false;
      }
      try {
        Thread.sleep(Math.max(1, waitMillis));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
  }

  /** A slot: the second's count with it, and the microseconds left in that second when it was given. */
  private record Taken(int sends, long leftMicros) {}

  public int mps() {
    return mps;
  }

  /** Slots left unused because they reached this instance too late in their second. */
  public long staleSlots() {
    return staleSlots.get();
  }
}
