package dev.norns.whatsapp.server.health;

import com.codahale.metrics.health.HealthCheck;
import dev.norns.whatsapp.server.temporal.TemporalRuntime;

/** The namespace answers and, on an instance with the worker role, its workers are polling. */
public final class TemporalHealthCheck extends HealthCheck {
  private final TemporalRuntime temporal;
  private final boolean workers;

  public TemporalHealthCheck(TemporalRuntime temporal, boolean workers) {
    this.temporal = temporal;
    this.workers = workers;
  }

  @Override
  protected Result check() {
    try {
      temporal.describeNamespace();
    } catch (RuntimeException e) {
      return Result.unhealthy("namespace unreachable: %s", e.getMessage());
    }
    if (!workers) {
      return Result.healthy("namespace reachable (api only: no workers on this instance)");
    }
    if (!temporal.workersRunning()) {
      return Result.unhealthy("namespace reachable but the workers are not polling");
    }
    return Result.healthy(temporal.embedded() ? "embedded in-memory server, workers polling" : "cluster reachable, "
        + "workers polling");
  }
}
