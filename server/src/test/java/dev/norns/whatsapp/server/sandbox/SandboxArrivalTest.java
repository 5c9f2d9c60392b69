package dev.norns.whatsapp.server.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The sandbox stamps a message at its request's first byte: the benchmark counts those stamps per second against the
 * sender's cap, so a stamp must never fall before the request was written (before its send passed the rate gate).
 */
class SandboxArrivalTest {
  private static final long PAUSE = TimeUnit.MILLISECONDS.toNanos(50);
  private static final Instant EPOCH_OF_NANOS = Instant.parse("2026-11-27T09:00:00Z");

  /** One process's clocks, both advancing together; every read of either comes after a pause (a GC, a safepoint). */
  private final AtomicLong nanos = new AtomicLong(TimeUnit.SECONDS.toNanos(100));

  private long monotonic() {
    return nanos.addAndGet(PAUSE);
  }

  private final Clock wall = new Clock() {
    @Override
    public Instant instant() {
      return EPOCH_OF_NANOS.plusNanos(nanos.addAndGet(PAUSE));
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  };

  @Test
  void givenAPauseBetweenReadingTheClocks_theStampIsNeverBeforeTheFirstByte() {
    long firstByte = nanos.get() - TimeUnit.MILLISECONDS.toNanos(5);

    Instant stamp = SandboxTwilioResource.arrival(firstByte, this::monotonic, wall);

    Instant firstByteOnTheWall = EPOCH_OF_NANOS.plusNanos(firstByte);
    assertThat(stamp).isAfterOrEqualTo(firstByteOnTheWall)
        .isBeforeOrEqualTo(firstByteOnTheWall.plusNanos(2 * PAUSE));
  }
}
