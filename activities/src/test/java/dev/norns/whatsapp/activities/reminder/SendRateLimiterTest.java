package dev.norns.whatsapp.activities.reminder;

import static org.assertj.core.api.Assertions.assertThat;

import dev.norns.whatsapp.activities.testing.TestDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SendRateLimiterTest {
  private static TestDatabase db;

  @BeforeAll
  static void start() {
    db = TestDatabase.create();
  }

  @AfterAll
  static void stop() {
    db.close();
  }

  @BeforeEach
  void empty() {
    db.jdbi().useHandle(h -> h.execute("DELETE FROM send_rate"));
  }

  @Test
  void givenManyConcurrentSendersOnTwoLimiters_noSecondGetsMoreThanTheCap() throws Exception {
    // Two limiters on one database: two instances of the service.
    List<SendRateLimiter> limiters = List.of(new SendRateLimiter(db.jdbi(), 3, Duration.ofSeconds(20)),
        new SendRateLimiter(db.jdbi(), 3, Duration.ofSeconds(20)));
    ExecutorService pool = Executors.newFixedThreadPool(12);
    List<Future<Boolean>> results = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      SendRateLimiter limiter = limiters.get(i % 2);
      results.add(pool.submit(limiter::acquire));
    }
    for (Future<Boolean> result : results) {
      assertThat(result.get()).isTrue();
    }
    pool.shutdown();
    List<Integer> perSecond = db.jdbi().withHandle(h -> h.createQuery("SELECT sends FROM send_rate")
        .mapTo(Integer.class).list());
    assertThat(perSecond.stream().mapToInt(Integer::intValue).sum()).isEqualTo(12);
    assertThat(perSecond).allSatisfy(sends -> assertThat(sends).isLessThanOrEqualTo(3));
    assertThat(perSecond.size()).isGreaterThanOrEqualTo(4);
  }

  @Test
  void givenASlotThatReachesTheSenderTooLateInItsSecond_itIsLeftUnusedAndAnotherTaken() {
    // The instance stalls for 900 ms between asking PostgreSQL and hearing back: that slot's second is nearly over
    // (every slot is given with at least 300 ms left), so a send with it could land in the next second.
    AtomicInteger reads = new AtomicInteger();
    LongSupplier stallOnce = () -> {
      int read = reads.incrementAndGet();
      return read == 1 ? 0L : 900_000_000L + read * 1_000L;
    };
    SendRateLimiter limiter = new SendRateLimiter(db.jdbi(), 5, Duration.ofSeconds(5), stallOnce);
    // Ask early in a second (PostgreSQL runs on this machine's clock), so the first ask gets a slot, not the tail.
    while (System.currentTimeMillis() % 1000 > 300) {
      Thread.onSpinWait();
    }

    assertThat(limiter.acquire()).isTrue();

    assertThat(limiter.staleSlots()).isEqualTo(1);
    int taken = db.jdbi().withHandle(h -> h.createQuery("SELECT coalesce(sum(sends), 0) FROM send_rate")
        .mapTo(Integer.class).one());
    assertThat(taken).as("the stale slot stays counted in its second, beside the one used").isEqualTo(2);
  }

  @Test
  void givenFullSecondAndNoTimeToWait_itGivesUp() {
    SendRateLimiter limiter = new SendRateLimiter(db.jdbi(), 1, Duration.ZERO);
    // This second and the next minute full, so that the check cannot slip into a free second.
    db.jdbi().useHandle(h -> h.execute("INSERT INTO send_rate SELECT date_trunc('second', clock_timestamp()) "
        + "+ make_interval(secs => s), 1 FROM generate_series(0, 60) s"));
    assertThat(limiter.acquire()).isFalse();
  }
}
