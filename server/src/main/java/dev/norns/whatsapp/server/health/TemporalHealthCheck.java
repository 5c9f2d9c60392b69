package dev.norns.whatsapp.server.health;

import com.codahale.metrics.health.HealthCheck;
import dev.norns.whatsapp.server.temporal.TemporalRuntime;

/** The namespace answers and this instance's workers are polling. */
public final class TemporalHealthCheck extends HealthCheck {
  private final TemporalRuntime temporal;

  public TemporalHealthCheck(TemporalRuntime temporal) {
    this.temporal = temporal;
  }

  @Override
  protected Result check() {
    try {
      temporal.describeNamespace();
    } catch (RuntimeException e) {
      return Result.unhealthy("namespace unreachable: %s", e.getMessage());
    }
    if (!temporal.workersRunning()) {
      return Result.unhealthy("namespace reachable but the workers are not polling");
    }
    return Result.healthy(temporal.embedded() ? "embedded in-memory server, workers polling" : "cluster reachable, "
        + "workers polling");
  }
}
