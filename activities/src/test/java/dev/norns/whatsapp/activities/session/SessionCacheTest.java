package dev.norns.whatsapp.activities.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.RedisClient;

/** The cache's Redis URL as Jedis reads it, and its breaker, against the machine's Redis. */
class SessionCacheTest {
  private final Clock clock = Clock.systemUTC();
  private final String phone = "+1415556" + ThreadLocalRandom.current().nextInt(1000, 9999);

  @Test
  void givenADatabaseInTheUrl_windowsAreCachedInThatDatabaseOnly() {
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    try (SessionCache cache = new SessionCache(URI.create("redis://127.0.0.1:6379/3"), "db-test:",
        Duration.ofMillis(500), clock);
        RedisClient db3 = RedisClient.builder().hostAndPort(new HostAndPort("127.0.0.1", 6379))
            .clientConfig(DefaultJedisClientConfig.builder().database(3).build()).build();
        RedisClient db0 = RedisClient.create("127.0.0.1", 6379)) {
      cache.put(phone, now, now.plus(Duration.ofHours(24)));

      assertThat(db3.get("db-test:whatsapp:session:" + phone)).isNotNull();
      assertThat(db0.get("db-test:whatsapp:session:" + phone)).isNull();
      assertThat(cache.get(phone)).get().extracting(SessionWindow::windowExpiresAt)
          .isEqualTo(now.plus(Duration.ofHours(24)));
      cache.forget(phone);
      assertThat(db3.get("db-test:whatsapp:session:" + phone)).isNull();
    }
  }

  @Test
  void givenARedisWithAPassword_theUrlsPasswordIsUsed_andAWrongOneMakesEveryLookupAMiss() throws Exception {
    int port;
    try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
      port = free.getLocalPort();
    }
    Process server = new ProcessBuilder("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
        "--requirepass", "s3cret-pass", "--save", "", "--appendonly", "no").redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    try {
      Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
      try (SessionCache right = new SessionCache(URI.create("redis://:s3cret-pass@127.0.0.1:" + port),
          Duration.ofMillis(500), clock)) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (right.check() != null && System.nanoTime() < deadline) {
          Thread.sleep(100);
        }
        right.put(phone, now, now.plus(Duration.ofHours(24)));
        assertThat(right.get(phone)).isPresent();
      }
      try (SessionCache wrong = new SessionCache(URI.create("redis://:not-it@127.0.0.1:" + port),
          Duration.ofMillis(500), clock)) {
        assertThat(wrong.get(phone)).isEmpty();
        assertThat(wrong.available()).isFalse();
        assertThat(wrong.check()).containsIgnoringCase("pass");
      }
    } finally {
      server.destroy();
      server.waitFor();
    }
  }

  @Test
  void givenRedisFailingOnce_theBreakerKeepsCallsAwayUntilAHealthCheckFindsItBack() {
    try (SessionCache cache = new SessionCache(URI.create("redis://127.0.0.1:1"), Duration.ofMillis(200), clock)) {
      long started = System.nanoTime();
      assertThat(cache.get(phone)).isEmpty();
      assertThat(cache.available()).isFalse();
      // Open: the next calls do not wait for a connection timeout.
      for (int i = 0; i < 50; i++) {
        assertThat(cache.get(phone)).isEmpty();
      }
      assertThat((System.nanoTime() - started) / 1_000_000).as("ms for 51 lookups").isLessThan(1000);
      assertThat(cache.breaker().getMetrics().getNumberOfNotPermittedCalls()).isEqualTo(50);
    }
    try (SessionCache cache = new SessionCache(URI.create("redis://127.0.0.1:6379"), Duration.ofMillis(500), clock)) {
      cache.breaker().transitionToOpenState();
      assertThat(cache.available()).isFalse();
      assertThat(cache.check()).isNull();
      assertThat(cache.available()).isTrue();
    }
  }

  @Test
  void givenUrls_onlyRedisOnesWithANumericDatabaseAreAccepted() {
    assertThat(SessionCache.problem("redis://127.0.0.1:6379")).isNull();
    assertThat(SessionCache.problem("rediss://user:secret@cache.example.org:6380/2")).isNull();
    assertThat(SessionCache.problem("http://127.0.0.1:6379")).contains("redis://");
    assertThat(SessionCache.problem("redis://127.0.0.1:6379/cache")).contains("database number");
    assertThatThrownBy(() -> new SessionCache(URI.create("http://127.0.0.1"), Duration.ofMillis(200), clock))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("REDIS_URL");
  }
}
