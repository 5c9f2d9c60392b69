package dev.norns.whatsapp.activities.session;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.params.SetParams;
import redis.clients.jedis.util.JedisURIHelper;

/**
 * Redis cache of open session windows, keyed {@code <namespace>whatsapp:session:<E164>} with a TTL equal to what is
 * left of the window; the namespace keeps deployments (and test runs) that share a Redis apart. Only a cache: every
 * failure is swallowed and reported as a miss.
 *
 * <p>The URL is read by Jedis itself ({@code redis://} or {@code rediss://} for TLS, {@code user:password@},
 * {@code /db}, {@code ?protocol=3}). Calls go through a Resilience4j circuit breaker named {@code redis}: one failure
 * opens it, and for {@link #BACKOFF} every call is a miss without touching Redis, so a dead Redis costs a webhook
 * nothing but a skipped lookup; then one call tries Redis again. Its state is on {@code /prometheus}
 * ({@code resilience4j_circuitbreaker_state{name="redis"}}).
 */
public final class SessionCache implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SessionCache.class);
  private static final String KEY = "whatsapp:session:";
  static final Duration BACKOFF = Duration.ofSeconds(5);

  private final RedisClient redis;
  private final String prefix;
  private final Clock clock;
  private final CircuitBreaker breaker;
  private volatile String lastError;

  public SessionCache(URI redisUrl, Duration timeout, Clock clock) {
    this(redisUrl, "", timeout, clock);
  }

  public SessionCache(URI redisUrl, String namespace, Duration timeout, Clock clock) {
    String problem = problem(redisUrl.toString());
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
    this.clock = clock;
    this.prefix = namespace + KEY;
    int millis = (int) timeout.toMillis();
    this.redis = RedisClient.builder()
        .clientConfig(DefaultJedisClientConfig.builder().connectionTimeoutMillis(millis).socketTimeoutMillis(millis)
            .clientName("norns-whatsapp").build())
        .fromURI(redisUrl)
        .build();
    this.breaker = CircuitBreaker.of("redis", CircuitBreakerConfig.custom()
        .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
        .slidingWindowSize(1).minimumNumberOfCalls(1).failureRateThreshold(100)
        .waitDurationInOpenState(BACKOFF).permittedNumberOfCallsInHalfOpenState(1)
        .build());
    breaker.getEventPublisher().onStateTransition(event -> {
      if (event.getStateTransition().getToState() == CircuitBreaker.State.CLOSED && lastError != null) {
        log.info("session cache: Redis is back");
        lastError = null;
      }
    });
  }

  /** Why {@code url} is not a Redis URL Jedis can use, or null. */
  public static String problem(String url) {
    URI uri;
    try {
      uri = URI.create(url.strip());
    } catch (IllegalArgumentException e) {
      return "REDIS_URL is not a URL: " + e.getMessage();
    }
    if (!JedisURIHelper.isValid(uri)) {
      return "REDIS_URL must be redis://[user:password@]host[:port][/db] or rediss://… for TLS, not " + uri.getScheme()
          + "://…";
    }
    if (uri.getPath() != null && uri.getPath().length() > 1 && !uri.getPath().substring(1).matches("\\d{1,2}")) {
      return "REDIS_URL's path is the database number (/0 to /15), not " + uri.getPath();
    }
    return null;
  }

  /** The breaker in front of Redis, for the metrics. */
  public CircuitBreaker breaker() {
    return breaker;
  }

  /** The cached window, or empty on a miss or when Redis is unavailable. */
  public Optional<SessionWindow> get(String phone) {
    return call("get", () -> redis.get(prefix + phone)).map(value -> {
      String[] parts = value.split(":");
      Instant last = Instant.ofEpochMilli(Long.parseLong(parts[0]));
      Instant expires = Instant.ofEpochMilli(Long.parseLong(parts[1]));
      return new SessionWindow(phone, last, expires, expires.isAfter(clock.instant()), SessionWindow.CACHE);
    });
  }

  /** Caches an open window until it closes; a closed one is removed. */
  public void put(String phone, Instant lastInboundAt, Instant windowExpiresAt) {
    long ttl = windowExpiresAt.toEpochMilli() - clock.millis();
    call("put", () -> ttl <= 0 ? redis.del(prefix + phone)
        : redis.set(prefix + phone, lastInboundAt.toEpochMilli() + ":" + windowExpiresAt.toEpochMilli(),
            SetParams.setParams().px(ttl)));
  }

  /** Drops the cached window of {@code phone} (its user was erased); best effort: an entry left expires with it. */
  public void forget(String phone) {
    call("forget", () -> redis.del(prefix + phone));
  }

  /** Pings Redis now, whatever the breaker says: for health checks. Null when healthy, the error otherwise. */
  public String check() {
    try {
      redis.ping();
      if (breaker.getState() != CircuitBreaker.State.CLOSED) {
        breaker.transitionToClosedState();
      }
      return null;
    } catch (RuntimeException e) {
      note("ping", e);
      breaker.transitionToOpenState();
      return lastError;
    }
  }

  /** False while the breaker keeps calls away from Redis. */
  public boolean available() {
    return breaker.getState() != CircuitBreaker.State.OPEN;
  }

  private <T> Optional<T> call(String operation, Supplier<T> redisCall) {
    try {
      return Optional.ofNullable(breaker.executeSupplier(redisCall));
    } catch (CallNotPermittedException open) {
      return Optional.empty();
    } catch (RuntimeException e) {
      note(operation, e);
      return Optional.empty();
    }
  }

  private void note(String operation, RuntimeException e) {
    if (lastError == null) {
      log.warn("session cache: Redis {} failed ({}); running from PostgreSQL only, retrying Redis every {} s",
          operation, e.toString(), BACKOFF.toSeconds());
    }
    lastError = e.toString();
  }

  @Override
  public void close() {
    redis.close();
  }
}
