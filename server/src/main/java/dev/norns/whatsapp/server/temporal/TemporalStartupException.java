package dev.norns.whatsapp.server.temporal;

/**
 * Temporal could not be used at start-up, for a reason an operator can fix (address, namespace, credentials, search
 * attributes). Dropwizard prints a failed start's exception: this one carries no stack trace, so what is printed is
 * the one line saying what to check, not a page of gRPC frames.
 */
public final class TemporalStartupException extends RuntimeException {
  public TemporalStartupException(String message) {
    super(message, null, false, false);
  }
}
