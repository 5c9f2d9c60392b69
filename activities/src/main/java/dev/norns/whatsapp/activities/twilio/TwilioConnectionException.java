package dev.norns.whatsapp.activities.twilio;

import com.twilio.exception.ApiConnectionException;

/**
 * No HTTP answer came back from Twilio. Says whether the request may nevertheless have reached Twilio, because
 * Twilio has no idempotency key for message creation: a request that timed out after it was written may have
 * created a message, and re-sending it could deliver the reminder twice.
 */
public final class TwilioConnectionException extends ApiConnectionException {

  private final boolean timedOut;
  private final boolean mayHaveReachedTwilio;

  TwilioConnectionException(String message, Throwable cause, boolean timedOut, boolean mayHaveReachedTwilio) {
    super(message, cause);
    this.timedOut = timedOut;
    this.mayHaveReachedTwilio = mayHaveReachedTwilio;
  }

  /** Whether a connect or answer timeout (rather than another I/O error) ended the request. */
  public boolean timedOut() {
    return timedOut;
  }

  /** False only when the request provably never left this process (connection refused or connect timeout). */
  public boolean mayHaveReachedTwilio() {
    return mayHaveReachedTwilio;
  }
}
