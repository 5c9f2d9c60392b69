package dev.norns.whatsapp.activities.reminder;

import java.time.Duration;
import java.util.Optional;
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
      RETURNING sends""";
  /**
   * The end of each second in which no slot is given out. 200 ms let one second of a 10,000 burst reach the sandbox
   * with 82 sends (the workflow starter still starting workflows beside the dispatcher, a send lagged its slot by
   * more than 200 ms); at 300 ms the same burst had 80 at most and lost no rate (79.3/s).
   */
  static final int TAIL_MS = 300;
  private static final String UNTIL_NEXT_SECOND =
      "SELECT CEIL(EXTRACT(EPOCH FROM date_trunc('second', clock_timestamp()) + interval '1 second' "
          + "- clock_timestamp()) * 1000)::bigint";
  private static final String FORGET = "DELETE FROM send_rate WHERE window_start < clock_timestamp() - interval '1 minute'";

  private final Jdbi jdbi;
  private final int mps;
  private final Duration maxWait;

  /** {@code maxWait}: how long one send may wait for a slot before giving up (the activity is then retried). */
  public SendRateLimiter(Jdbi jdbi, int mps, Duration maxWait) {
    if (mps < 1) {
      throw new IllegalArgumentException("messages per second must be at least 1: " + mps);
    }
    this.jdbi = jdbi;
    this.mps = mps;
    this.maxWait = maxWait;
  }

  /** Waits for a slot in some second; false when none came within the maximum wait. */
  public boolean acquire() {
    long deadline = System.nanoTime() + maxWait.toNanos();
    while (true) {
      Optional<Integer> taken = jdbi.withHandle(h -> h.createQuery(TAKE).bind("mps", mps).bind("tail", TAIL_MS)
          .mapTo(Integer.class)
          .findOne());
      if (taken.isPresent()) {
        if (taken.get() == 1) {
          // First send of a new second: at most once a second, drop the windows nobody needs any more.
          jdbi.useHandle(h -> h.execute(FORGET));
        }
        return true;
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

  public int mps() {
    return mps;
  }
}
