package dev.norns.whatsapp.server.health;

import com.codahale.metrics.health.HealthCheck;
import dev.norns.whatsapp.server.temporal.TemporalDevServer;
import dev.norns.whatsapp.server.temporal.TemporalRuntime;
import java.time.Instant;

/** The embedded server is up, the namespace answers and, on an instance with the worker role, its workers poll. */
public final class TemporalHealthCheck extends HealthCheck {
  private final TemporalRuntime temporal;
  private final boolean workers;

  public TemporalHealthCheck(TemporalRuntime temporal, boolean workers) {
    this.temporal = temporal;
    this.workers = workers;
  }

  @Override
  protected Result check() {
    TemporalDevServer embedded = temporal.embedded();
    Instant down = embedded == null ? null : embedded.downSince();
    if (down != null) {
      return Result.unhealthy("embedded Temporal server down since %s, being started again", down);
    }
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
    if (embedded != null) {
      return Result.healthy("embedded Temporal dev server on %s, workers polling%s", embedded.target(),
          embedded.uiUrl() == null ? "" : "; Web UI " + embedded.uiUrl());
    }
    return Result.healthy("cluster reachable, workers polling");
  }
}
