package dev.norns.whatsapp.workflows.model;

/**
 * What Twilio made of a send. Transient failures (429, 5xx, timeouts) never come back as an outcome: the activity
 * throws and Temporal retries it with backoff.
 *
 * @param status Twilio's latest known status of an accepted message
 */
public record SendOutcome(Result result, String messageSid, DeliveryStatus status, String errorCode,
    String errorMessage) {

  public enum Result {
    /** Twilio took the message: it has a SID. */
    ACCEPTED,
    /** 63016: freeform refused because the session window is closed. */
    OUTSIDE_WINDOW,
    /** A permanent refusal (bad number, blocked, opted out, missing template…): never retried. */
    REJECTED,
    /** A previous attempt may have reached Twilio and no callback settled it: not re-sent, to avoid a duplicate. */
    UNKNOWN
  }

  public static SendOutcome accepted(String sid, DeliveryStatus status) {
    return new SendOutcome(Result.ACCEPTED, sid, status, null, null);
  }

  public static SendOutcome refused(Result result, String code, String message) {
    return new SendOutcome(result, null, null, code, message);
  }
}
