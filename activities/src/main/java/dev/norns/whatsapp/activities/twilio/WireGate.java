package dev.norns.whatsapp.activities.twilio;

/**
 * What a message send waits for at the last moment before its request goes on the wire: the sender's rate slot. The
 * request is fully built (form encoded, authorised, its URL resolved) when the gate is asked, so only the HTTP
 * client's own writing of it lies between passing the gate and Twilio receiving the message. The gate hears back once
 * the request's answer or failure is in ({@link Flight#landed}): by then Twilio has the message or never will, so the
 * gate knows the whole span in which it can have arrived.
 */
@FunctionalInterface
public interface WireGate {
  /** Passes every request at once. */
  WireGate OPEN = () -> Flight.UNCOUNTED;

  /** Blocks until the request may go; null when it may not (the request is then not sent). */
  Flight pass();

  /** One request let through, from passing the gate until its answer or failure is back. */
  @FunctionalInterface
  interface Flight {
    /** A flight nobody counts. */
    Flight UNCOUNTED = () -> {};

    /**
     * The request's answer or failure is back (called at most once, on the thread that made the request). Never
     * called when that thread was interrupted while waiting: the HTTP client may still be writing the request then,
     * so the flight is left to count until its horizon, like the flight of an instance that died.
     */
    void landed();
  }

  /** The gate stayed closed: the request was not sent, so sending it again later cannot duplicate it. */
  final class Closed extends RuntimeException {
    Closed(String request) {
      super(request + ": not sent (its gate stayed closed)");
    }
  }
}
