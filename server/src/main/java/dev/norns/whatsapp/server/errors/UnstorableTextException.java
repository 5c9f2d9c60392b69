package dev.norns.whatsapp.server.errors;

/** A JSON string the database could not store (NUL, lone surrogates, other control characters). */
public final class UnstorableTextException extends RuntimeException {
  public UnstorableTextException(String message) {
    super(message, null, false, false);
  }
}
