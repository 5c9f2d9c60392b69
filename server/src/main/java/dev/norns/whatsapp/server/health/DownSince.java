package dev.norns.whatsapp.server.health;

import com.codahale.metrics.health.HealthCheck;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A health check that says since when its dependency is down (or degraded): the first failing check after a passing
 * one starts the outage, a passing one ends it. The answer keeps the check's own words and adds
 * {@code "down since <instant>"} and the detail {@code down_since}.
 */
public final class DownSince extends HealthCheck {
  private final String what;
  private final HealthCheck check;
  private final Clock clock;
  private final AtomicReference<Instant> since = new AtomicReference<>();

  /** {@code what}: the dependency as an operator names it ("PostgreSQL", "Temporal", "Redis"). */
  public DownSince(String what, HealthCheck check, Clock clock) {
    this.what = what;
    this.check = check;
    this.clock = clock;
  }

  @Override
  protected Result check() {
    Result result = check.execute();
    boolean degraded = "degraded".equals(result.getDetails() == null ? null : result.getDetails().get("state"));
    if (result.isHealthy() && !degraded) {
      since.set(null);
      return result;
    }
    Instant start = since.updateAndGet(known -> known != null ? known : clock.instant());
    ResultBuilder builder = result.isHealthy() ? Result.builder().healthy() : Result.builder().unhealthy();
    if (result.getDetails() != null) {
      result.getDetails().forEach(builder::withDetail);
    }
    String message = result.getMessage() == null ? "no answer" : result.getMessage();
    if (result.isHealthy()) {
      // Degraded (Redis, a cache): its own words first, then since when.
      return builder.withMessage("%s (since %s)", message, start).withDetail("degraded_since", start.toString())
          .build();
    }
    return builder.withMessage("%s down since %s: %s", what, start, message)
        .withDetail("down_since", start.toString()).build();
  }
}
