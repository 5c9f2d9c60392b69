package dev.norns.whatsapp.server.errors;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

/**
 * PostgreSQL or Temporal could not be reached in time: the request may succeed a little later, so it is a 503, not a
 * 500. {@link #find} recognises the failures the drivers throw.
 */
public final class DependencyUnavailableException extends RuntimeException {
  private final String dependency;

  public DependencyUnavailableException(String dependency, String message) {
    super(message, null, false, false);
    this.dependency = dependency;
  }

  public String dependency() {
    return dependency;
  }

  /** The dependency failure somewhere in {@code e}'s cause chain, or null. */
  public static DependencyUnavailableException find(Throwable e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
      if (cause instanceof DependencyUnavailableException unavailable) {
        return unavailable;
      }
      if (cause instanceof SQLTransientConnectionException
          || (cause instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("08"))) {
        return new DependencyUnavailableException("PostgreSQL", String.valueOf(cause.getMessage()));
      }
      if (cause instanceof io.grpc.StatusRuntimeException grpc) {
        io.grpc.Status.Code code = grpc.getStatus().getCode();
        if (code == io.grpc.Status.Code.UNAVAILABLE || code == io.grpc.Status.Code.DEADLINE_EXCEEDED) {
          return new DependencyUnavailableException("Temporal", code.name());
        }
      }
    }
    return null;
  }
}
