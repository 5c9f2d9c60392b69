package dev.norns.whatsapp.activities.reminder;

import static org.assertj.core.api.Assertions.assertThat;

import dev.norns.whatsapp.activities.testing.TestDatabase;
import dev.norns.whatsapp.activities.twilio.WireGate.Flight;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SendRateLimiterTest {
  private static final Duration HORIZON = Duration.ofSeconds(5);
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
    db.jdbi().useHandle(h -> h.execute("DELETE FROM send_flight"));
  }

  @Test
  void givenManyConcurrentSendersOnTwoLimiters_noSecondCanReceiveMoreThanTheCap() throws Exception {
    // Two limiters on one database: two instances of the service. Each send is in flight for up to 300 ms, so many
    // cross the end of their second.
    List<SendRateLimiter> limiters = List.of(new SendRateLimiter(db.jdbi(), 3, Duration.ofSeconds(20), HORIZON),
        new SendRateLimiter(db.jdbi(), 3, Duration.ofSeconds(20), HORIZON));
    ExecutorService pool = Executors.newFixedThreadPool(12);
    List<Future<Boolean>> results = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      SendRateLimiter limiter = limiters.get(i % 2);
      long inFlightMillis = (i * 97L) % 300;
      results.add(pool.submit(() -> {
        Flight flight = limiter.pass();
        if (flight == null) {
          return false;
        }
        Thread.sleep(inFlightMillis);
        flight.landed();
        return true;
      }));
    }
    for (Future<Boolean> result : results) {
      assertThat(result.get()).isTrue();
    }
    pool.shutdown();

    assertThat(count("SELECT count(*) FROM send_flight WHERE landed_by IS NOT NULL")).isEqualTo(12);
    // Every second, counting each send it may have received: those whose flight touched it.
    assertThat(count("SELECT max(n) FROM (SELECT count(*) n FROM generate_series((SELECT date_trunc('second', "
        + "min(granted_at)) FROM send_flight), (SELECT max(landed_by) FROM send_flight), interval '1 second') s "
        + "JOIN send_flight f ON f.granted_at < s + interval '1 second' AND f.landed_by >= s GROUP BY s) t"))
        .as("sends that may have reached Twilio in the busiest second").isLessThanOrEqualTo(3);
  }

  @Test
  void givenASendStillInFlightWhenItsSecondEnds_itAlsoTakesASlotOfTheNext() throws Exception {
    SendRateLimiter limiter = new SendRateLimiter(db.jdbi(), 2, Duration.ZERO, HORIZON);
    // PostgreSQL runs on this machine's clock: start early in a second, so that each step below stays in its own.
    while (System.currentTimeMillis() % 1000 > 200) {
      Thread.onSpinWait();
    }
    Flight slow = limiter.pass();
    assertThat(slow).isNotNull();
    Thread.sleep(1050 - System.currentTimeMillis() % 1000);

    // The next second: the slow send may still land in it, so one slot of two is left.
    Flight next = limiter.pass();
    assertThat(next).isNotNull();
    assertThat(limiter.pass()).as("the second's slots: the slow send and this one").isNull();
    slow.landed();
    assertThat(limiter.pass()).as("landing late does not give back a second it may have reached").isNull();
    next.landed();

    // The slow send spanned two seconds (the other one too, only if this machine stalled for most of a second).
    assertThat(limiter.spanningSends()).isBetween(1L, 2L);
  }

  @Test
  void givenASendWhoseInstanceDiedInFlight_itCountsOnlyUntilItsHorizon() {
    SendRateLimiter limiter = new SendRateLimiter(db.jdbi(), 1, Duration.ZERO, HORIZON);
    db.jdbi().useHandle(h -> h.execute("INSERT INTO send_flight (granted_at) VALUES (clock_timestamp() - interval "
        + "'4 seconds')"));
    assertThat(limiter.pass()).as("a request 4 s out could still be answered: it holds the only slot").isNull();

    db.jdbi().useHandle(h -> h.execute("UPDATE send_flight SET granted_at = clock_timestamp() - interval '6 seconds'"));
    assertThat(limiter.pass()).as("past the 5 s horizon no answer can come").isNotNull();
  }

  @Test
  void givenFullSecondAndNoTimeToWait_itGivesUp_andOldFlightsAreForgotten() {
    db.jdbi().useHandle(h -> h.execute("INSERT INTO send_flight (granted_at, landed_by) VALUES "
        + "(clock_timestamp() - interval '11 minutes', clock_timestamp() - interval '11 minutes'), "
        + "(clock_timestamp() - interval '9 minutes', clock_timestamp() - interval '9 minutes'), "
        + "(clock_timestamp(), NULL)"));
    SendRateLimiter limiter = new SendRateLimiter(db.jdbi(), 1, Duration.ZERO, HORIZON);

    assertThat(limiter.pass()).isNull();

    assertThat(count("SELECT count(*) FROM send_flight")).as("the flight of 11 minutes ago is gone, 9 is kept")
        .isEqualTo(2);
  }

  private static long count(String sql) {
    return db.jdbi().withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
  }
}
