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

  /**
   * SQLSTATEs that mean "PostgreSQL cannot serve this right now": connection exceptions (08), too many connections or
   * out of resources (53), shut down or restarting by an operator (57P).
   */
  private static boolean unavailable(String state) {
    return state != null && (state.startsWith("08") || state.startsWith("53") || state.startsWith("57P"));
  }

  /** The dependency failure somewhere in {@code e}'s cause chain, or null. */
  public static DependencyUnavailableException find(Throwable e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
      if (cause instanceof DependencyUnavailableException unavailable) {
        return unavailable;
      }
      if (cause instanceof org.jdbi.v3.core.ConnectionException
          || cause instanceof SQLTransientConnectionException
          || (cause instanceof SQLException sql && unavailable(sql.getSQLState()))) {
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
