package dev.norns.whatsapp.server.health;

import com.codahale.metrics.health.HealthCheck;
import dev.norns.whatsapp.server.errors.DependencyUnavailableException;
import org.jdbi.v3.core.Jdbi;

/** PostgreSQL, the system of record, answers a query within two seconds; its own error when it does not. */
public final class PostgresHealthCheck extends HealthCheck {
  private final Jdbi jdbi;

  public PostgresHealthCheck(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  @Override
  protected Result check() {
    try {
      jdbi.useHandle(handle -> handle.createQuery("SELECT 1").setQueryTimeout(2).mapTo(Integer.class).one());
      return Result.healthy("PostgreSQL answers");
    } catch (RuntimeException e) {
      Throwable cause = e;
      while (cause.getCause() != null && cause.getCause() != cause) {
        cause = cause.getCause();
      }
      DependencyUnavailableException unavailable = DependencyUnavailableException.find(e);
      String reason = unavailable != null ? unavailable.getMessage() : cause.getMessage();
      return Result.unhealthy("%s", reason == null ? cause.getClass().getSimpleName() : reason);
    }
  }
}
