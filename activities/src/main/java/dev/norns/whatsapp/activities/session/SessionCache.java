package dev.norns.whatsapp.activities.session;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.params.SetParams;

/**
 * Redis cache of open session windows, keyed {@code <namespace>whatsapp:session:<E164>} with a TTL equal to what is
 * left of the window; the namespace keeps deployments (and test runs) that share a Redis apart. Only a cache: every failure is swallowed and reported as a miss, and after one failure Redis is left alone
 * for a few seconds so a dead Redis costs a webhook nothing but a skipped lookup.
 */
public final class SessionCache implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SessionCache.class);
  private static final String KEY = "whatsapp:session:";
  private static final Duration BACKOFF = Duration.ofSeconds(5);

  private final RedisClient redis;
  private final String prefix;
  private final Clock clock;
  private final AtomicLong skipUntilMillis = new AtomicLong();
  private volatile String lastError;

  public SessionCache(URI redisUrl, Duration timeout, Clock clock) {
    this(redisUrl, "", timeout, clock);
  }

  public SessionCache(URI redisUrl, String namespace, Duration timeout, Clock clock) {
    this.clock = clock;
    this.prefix = namespace + KEY;
    int millis = (int) timeout.toMillis();
    DefaultJedisClientConfig.Builder config = DefaultJedisClientConfig.builder()
        .connectionTimeoutMillis(millis).socketTimeoutMillis(millis).clientName("norns-whatsapp");
    if (redisUrl.getUserInfo() != null) {
      String[] auth = redisUrl.getUserInfo().split(":", 2);
      if (auth.length == 2) {
        config.user(auth[0].isEmpty() ? null : auth[0]).password(auth[1]);
      } else {
        config.password(auth[0]);
      }
    }
    String path = redisUrl.getPath();
    if (path != null && path.length() > 1) {
      config.database(Integer.parseInt(path.substring(1)));
    }
    int port = redisUrl.getPort() > 0 ? redisUrl.getPort() : 6379;
    this.redis = RedisClient.builder().hostAndPort(new HostAndPort(redisUrl.getHost(), port))
        .clientConfig(config.build()).build();
  }

  /** The cached window, or empty on a miss or when Redis is unavailable. */
  public Optional<SessionWindow> get(String phone) {
    if (skipping()) {
      return Optional.empty();
    }
    try {
      String value = redis.get(prefix + phone);
      healthy();
      if (value == null) {
        return Optional.empty();
      }
      String[] parts = value.split(":");
      Instant last = Instant.ofEpochMilli(Long.parseLong(parts[0]));
      Instant expires = Instant.ofEpochMilli(Long.parseLong(parts[1]));
      return Optional.of(new SessionWindow(phone, last, expires, expires.isAfter(clock.instant()),
          SessionWindow.CACHE));
    } catch (RuntimeException e) {
      failed("get", e);
      return Optional.empty();
    }
  }

  /** Caches an open window until it closes; a closed one is removed. */
  public void put(String phone, Instant lastInboundAt, Instant windowExpiresAt) {
    if (skipping()) {
      return;
    }
    long ttl = windowExpiresAt.toEpochMilli() - clock.millis();
    try {
      if (ttl <= 0) {
        redis.del(prefix + phone);
      } else {
        redis.set(prefix + phone, lastInboundAt.toEpochMilli() + ":" + windowExpiresAt.toEpochMilli(),
            SetParams.setParams().px(ttl));
      }
      healthy();
    } catch (RuntimeException e) {
      failed("put", e);
    }
  }

  /** Drops the cached window of {@code phone} (its user was erased); best effort: an entry left expires with it. */
  public void forget(String phone) {
    if (skipping()) {
      return;
    }
    try {
      redis.del(prefix + phone);
      healthy();
    } catch (RuntimeException e) {
      failed("forget", e);
    }
  }

  /** Pings Redis now (ignoring the backoff): for health checks. Null when healthy, the error otherwise. */
  public String check() {
    try {
      redis.ping();
      healthy();
      return null;
    } catch (RuntimeException e) {
      failed("ping", e);
      return lastError;
    }
  }

  public boolean available() {
    return !skipping();
  }

  private boolean skipping() {
    return clock.millis() < skipUntilMillis.get();
  }

  private void healthy() {
    if (lastError != null) {
      log.info("session cache: Redis is back");
      lastError = null;
    }
  }

  private void failed(String operation, RuntimeException e) {
    if (lastError == null) {
      log.warn("session cache: Redis {} failed ({}); running from PostgreSQL only, retrying Redis every {} s",
          operation, e.toString(), BACKOFF.toSeconds());
    }
    lastError = e.toString();
    skipUntilMillis.set(clock.millis() + BACKOFF.toMillis());
  }

  @Override
  public void close() {
    redis.close();
  }
}
