package dev.norns.whatsapp.server.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.norns.whatsapp.activities.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The sandbox stamps a message at its request's first byte: the benchmark counts those stamps per second against the
 * sender's cap, so a stamp must never fall before the request was written (before its send passed the rate gate).
 */
class SandboxArrivalTest {
  private static final Duration PAUSE = Duration.ofMillis(50);

  @Test
  void givenAPauseWhileTheClocksAreRead_theStampIsNeverBeforeTheFirstByte() {
    // One process's clocks, advancing together. The pause (a GC, a safepoint) comes just before the monotonic clock
    // is read: between the two reads if the wall clock is read first.
    Instant firstByteOnTheWall = Instant.parse("2026-11-27T09:00:00.995Z");
    long firstByte = TimeUnit.SECONDS.toNanos(100);
    AtomicLong nanos = new AtomicLong(firstByte + TimeUnit.MILLISECONDS.toNanos(3));
    MutableClock wall = new MutableClock(firstByteOnTheWall.plusMillis(3));

    Instant stamp = SandboxTwilioResource.arrival(firstByte, () -> {
      wall.advance(PAUSE);
      return nanos.addAndGet(PAUSE.toNanos());
    }, wall);

    assertThat(stamp).isAfterOrEqualTo(firstByteOnTheWall).isBeforeOrEqualTo(firstByteOnTheWall.plus(PAUSE));
  }
}
