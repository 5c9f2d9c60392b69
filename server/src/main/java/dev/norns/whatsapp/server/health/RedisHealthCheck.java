package dev.norns.whatsapp.server.health;

import com.codahale.metrics.health.HealthCheck;
import dev.norns.whatsapp.activities.session.SessionCache;

/** Redis is only a cache: when it is down the service is degraded (slower), not unhealthy. */
public final class RedisHealthCheck extends HealthCheck {
  private final SessionCache cache;

  public RedisHealthCheck(SessionCache cache) {
    this.cache = cache;
  }

  @Override
  protected Result check() {
    String error = cache.check();
    if (error == null) {
      return Result.builder().healthy().withMessage("session cache up").withDetail("state", "up").build();
    }
    return Result.builder().healthy()
        .withMessage("degraded: Redis unreachable (%s); session windows are read from PostgreSQL", error)
        .withDetail("state", "degraded").build();
  }
}
