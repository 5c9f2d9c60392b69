package dev.norns.whatsapp.activities.twilio;

/**
 * What a message send waits for at the last moment before its request goes on the wire: the sender's rate slot. The
 * request is fully built (form encoded, authorised, its URL resolved) when the gate is asked, so only the HTTP
 * client's own writing of it lies between passing the gate and Twilio receiving the message. A slot taken before
 * that work could reach Twilio late in its second (a busy machine delays a thread by tens of milliseconds at each
 * step; a cold JVM's first sends load their classes there) and count against the next one.
 */
@FunctionalInterface
public interface WireGate {
  /** Passes every request at once. */
  WireGate OPEN = () -> true;

  /** Blocks until the request may go; false when it may not (the request is then not sent). */
  boolean pass();

  /** The gate stayed closed: the request was not sent, so sending it again later cannot duplicate it. */
  final class Closed extends RuntimeException {
    Closed(String request) {
      super(request + ": not sent (its gate stayed closed)");
    }
  }
}
