package dev.norns.whatsapp.workflows.model;

import java.time.Instant;

/**
 * What Twilio made of a send, and on which channel. Transient failures (429, 5xx, timeouts) never come back as an
 * outcome: the activity throws and Temporal retries it with backoff. Twilio's codes are classified once, in the
 * activity, into {@link Result}: the workflow never looks at a code to decide.
 *
 * @param status Twilio's latest known status of an accepted message
 * @param channelReason why this channel (the session window as read just before the send)
 * @param sentAt when Twilio accepted it (null in outcomes recorded before it was kept: the workflow's time then)
 */
public record SendOutcome(Result result, String messageSid, DeliveryStatus status, String errorCode,
    String errorMessage, Channel channel, String channelReason, Instant sentAt) {

  public enum Result {
    /** Twilio took the message: it has a SID. */
    ACCEPTED,
    /** 63016: freeform refused because the session window is closed. */
    OUTSIDE_WINDOW,
    /** The user opted out (STOP, or Twilio's 21610): nothing is sent until START. */
    OPTED_OUT,
    /** A permanent refusal (bad number, blocked, user or phone gone, missing template…): never retried. */
    REJECTED,
    /** A previous attempt may have reached Twilio and no callback settled it: not re-sent, to avoid a duplicate. */
    UNKNOWN,
    /** The sender's messages-per-second cap had no slot: nothing reached Twilio; send again shortly (no failure). */
    NO_SLOT
  }

  public static SendOutcome accepted(String sid, DeliveryStatus status) {
    return new SendOutcome(Result.ACCEPTED, sid, status, null, null, null, null, null);
  }

  public static SendOutcome refused(Result result, String code, String message) {
    return new SendOutcome(result, null, null, code, message, null, null, null);
  }

  /** The same outcome, saying which channel the activity chose and why. */
  public SendOutcome on(Channel chosen, String reason) {
    return new SendOutcome(result, messageSid, status, errorCode, errorMessage, chosen, reason, sentAt);
  }

  /** The same outcome, saying when Twilio accepted it. */
  public SendOutcome at(Instant acceptedAt) {
    return new SendOutcome(result, messageSid, status, errorCode, errorMessage, channel, channelReason, acceptedAt);
  }
}
