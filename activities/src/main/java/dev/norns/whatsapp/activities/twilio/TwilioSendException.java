package dev.norns.whatsapp.activities.twilio;

import dev.norns.whatsapp.activities.twilio.TwilioErrors.Kind;

/**
 * A send that Twilio refused, or whose fate is unknown. The single exception type of {@link TwilioMessageSender},
 * classified once by {@link TwilioErrors}.
 *
 * <p>{@link #mayHaveBeenAccepted()} matters because Twilio has no idempotency key for message creation: after a
 * timeout or I/O error once the request was written, the message may exist, and blindly retrying (even though the
 * kind is {@link Kind#TRANSIENT}) risks a duplicate WhatsApp message. Any HTTP error answer (4xx, 429, 5xx) means
 * Twilio did not create the message, so it is never "may have been accepted".
 */
public final class TwilioSendException extends RuntimeException {

  /** {@link #code()} for a timeout without an answer. */
  public static final String TIMEOUT = "TIMEOUT";
  /** {@link #code()} for an I/O error without an answer (connection refused, reset…). */
  public static final String CONNECTION = "CONNECTION";
  /** {@link #code()} for a 2xx answer that is not a readable message resource. */
  public static final String BAD_ANSWER = "BAD_ANSWER";
  /** {@link #code()} for a recipient that is not an E.164 number; refused before calling Twilio. */
  public static final String INVALID_TO = "INVALID_TO";

  private final Kind kind;
  private final String code;
  private final int httpStatus;
  private final boolean mayHaveBeenAccepted;

  /**
   * @param code                Twilio's error code as a string, else the HTTP status ("503"), else one of the
   *                            constants of this class
   * @param httpStatus          HTTP status of Twilio's answer, 0 when there was none
   * @param mayHaveBeenAccepted whether Twilio may have created the message despite the failure
   */
  public TwilioSendException(String message, Kind kind, String code, int httpStatus, boolean mayHaveBeenAccepted,
      Throwable cause) {
    super(message, cause);
    this.kind = kind;
    this.code = code;
    this.httpStatus = httpStatus;
    this.mayHaveBeenAccepted = mayHaveBeenAccepted;
  }

  /** An HTTP error answer from Twilio, with its error code when the body had one. */
  static TwilioSendException refused(int httpStatus, Integer errorCode, String twilioMessage) {
    Kind kind = TwilioErrors.classify(errorCode, httpStatus);
    String code = errorCode != null ? errorCode.toString() : Integer.toString(httpStatus);
    String text = "Twilio refused the message: HTTP " + httpStatus
        + (errorCode != null ? ", error " + errorCode : "")
        + (twilioMessage != null ? " (" + twilioMessage + ")" : "") + " -> " + kind;
    return new TwilioSendException(text, kind, code, httpStatus, false, null);
  }

  /** No answer at all; transient, and possibly accepted when the request may have reached Twilio. */
  static TwilioSendException noAnswer(TwilioConnectionException e) {
    return new TwilioSendException(e.getMessage(), Kind.TRANSIENT, e.timedOut() ? TIMEOUT : CONNECTION, 0,
        e.mayHaveReachedTwilio(), e);
  }

  /** The classification: what to do next. */
  public Kind kind() {
    return kind;
  }

  /** Twilio's error code ("63016"), else the HTTP status ("503"), else {@link #TIMEOUT} / {@link #CONNECTION}… */
  public String code() {
    return code;
  }

  /** HTTP status of Twilio's answer, 0 when there was no answer. */
  public int httpStatus() {
    return httpStatus;
  }

  /** True only when the request may have created a message (timeout or I/O error after it was sent). */
  public boolean mayHaveBeenAccepted() {
    return mayHaveBeenAccepted;
  }

  /** Whether Twilio says the recipient opted out (21610). */
  public boolean optedOut() {
    return TwilioErrors.optedOut(twilioCode());
  }

  private Integer twilioCode() {
    try {
      return httpStatus != 0 && code.equals(Integer.toString(httpStatus)) ? null : Integer.valueOf(code);
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
