package dev.norns.whatsapp.activities.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.norns.whatsapp.activities.testing.MutableClock;
import dev.norns.whatsapp.activities.testing.TestDatabase;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;

/** Against the machine's real PostgreSQL and Redis; "Redis down" is a client pointed at a port nobody listens on. */
class SessionWindowsTest {
  private static TestDatabase db;
  private static RedisClient redis;
  private final MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.MILLIS));
  private final SessionCache cache =
      new SessionCache(URI.create("redis://127.0.0.1:6379"), Duration.ofMillis(500), clock);
  private final SessionWindows windows = new SessionWindows(db.jdbi(), cache, clock);
  private final String phone = "+1415555" + ThreadLocalRandom.current().nextInt(1000, 9999);

  @BeforeAll
  static void setUp() {
    db = TestDatabase.create();
    redis = RedisClient.create("127.0.0.1", 6379);
    redis.ping();
  }

  @AfterAll
  static void tearDown() {
    redis.close();
    db.close();
  }

  @AfterEach
  void cleanKey() {
    redis.del("whatsapp:session:" + phone);
    cache.close();
  }

  @Test
  void givenUserNeverWrote_itIsOutsideTheWindow() {
    SessionWindow window = windows.lookup(phone);
    assertThat(window.open()).isFalse();
    assertThat(window.windowExpiresAt()).isNull();
    assertThat(window.source()).isEqualTo("database");
  }

  @Test
  void givenInbound_itOpensTheWindowFor24HoursInPostgresAndRedisWithMatchingTtl() {
    windows.recordInbound(phone, clock.instant());

    SessionWindow window = windows.lookup(phone);
    assertThat(window.open()).isTrue();
    assertThat(window.source()).isEqualTo("cache");
    assertThat(window.windowExpiresAt()).isEqualTo(clock.instant().plus(Duration.ofHours(24)));
    long ttl = redis.pttl("whatsapp:session:" + phone);
    assertThat(ttl).isBetween(Duration.ofHours(24).minusSeconds(60).toMillis(), Duration.ofHours(24).toMillis());
  }

  @Test
  void givenCacheLostItsKey_itReadsPostgresAndRefillsTheCache() {
    windows.recordInbound(phone, clock.instant());
    redis.del("whatsapp:session:" + phone);

    assertThat(windows.lookup(phone)).satisfies(w -> {
      assertThat(w.open()).isTrue();
      assertThat(w.source()).isEqualTo("database");
    });
    assertThat(windows.lookup(phone).source()).isEqualTo("cache");
  }

  @Test
  void givenWindowPassed24Hours_itIsClosed() {
    windows.recordInbound(phone, clock.instant());
    clock.advance(Duration.ofHours(24).plusSeconds(1));
    assertThat(windows.lookup(phone).open()).isFalse();
  }

  @Test
  void givenOlderInboundArrivesLate_itDoesNotShortenTheWindow() {
    Instant now = clock.instant();
    windows.recordInbound(phone, now);
    windows.recordInbound(phone, now.minus(Duration.ofHours(3)));
    redis.del("whatsapp:session:" + phone);
    assertThat(windows.lookup(phone).windowExpiresAt()).isEqualTo(now.plus(Duration.ofHours(24)));
  }

  @Test
  void givenRedisDown_itStillAnswersFromPostgresAndSaysSo() {
    try (SessionCache dead = new SessionCache(URI.create("redis://127.0.0.1:1"), Duration.ofMillis(200), clock)) {
      SessionWindows withoutRedis = new SessionWindows(db.jdbi(), dead, clock);
      withoutRedis.recordInbound(phone, clock.instant());

      SessionWindow window = withoutRedis.lookup(phone);
      assertThat(window.open()).isTrue();
      assertThat(window.source()).isEqualTo("database");
      assertThat(dead.check()).isNotNull();
      assertThat(dead.available()).isFalse();
    }
  }
}
