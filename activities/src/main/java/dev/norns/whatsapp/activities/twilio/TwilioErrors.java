package dev.norns.whatsapp.activities.twilio;

import java.util.Set;

/**
 * The one place where Twilio errors are classified. Everything that decides "retry, fall back to a template, or give
 * up" asks here, so a code is never treated differently in two places.
 *
 * <p>Order of the rules: a known Twilio error code decides first (Twilio reports some permanent refusals and some
 * transient ones with the same HTTP status), then the HTTP status: 429 and 5xx are transient, any other 4xx is
 * permanent. Anything else (an unknown code with no HTTP status, as in a status callback, or an unexpected 1xx-3xx)
 * is permanent: an unexplained refusal is not retried blindly, because a retry that repeats a send can duplicate a
 * WhatsApp message.
 */
public final class TwilioErrors {

  /** What the caller should do about a failed send. */
  public enum Kind {
    /** The 24-hour customer-service window is closed: send an approved template instead. */
    OUTSIDE_WINDOW,
    /** Retrying the same request will fail the same way: record the failure, do not retry. */
    PERMANENT,
    /** Twilio did not take the request this time: retry later with backoff. */
    TRANSIENT
  }

  /**
   * 63016: freeform message outside the 24-hour window. Only an inbound message from the user reopens the window,
   * so the fix is a template (Content API), not a retry. The window can close between a check and a send, so this
   * code is expected even when our own bookkeeping said the window was open.
   */
  public static final int OUTSIDE_WINDOW_CODE = 63016;

  /** 21610: the recipient sent STOP. Permanent until they send START; must not be retried or worked around. */
  public static final int OPTED_OUT_CODE = 21610;

  /**
   * Recipient or content problems that no retry fixes:
   * 63003 / 63024 invalid or non-WhatsApp recipient; 21211 invalid To (HTTP 400 at create); 21408 destination
   * blocked by the account's geo permissions; 21610 recipient opted out (STOP); 63014 recipient blocked the sender;
   * 63049 marketing template refused (US numbers since 2025-04: use the Utility category); 63021 template with
   * substitutions over 1,024 characters or otherwise invalid; 21614 To is not a valid mobile number;
   * 21612 the To/From combination cannot be routed.
   */
  static final Set<Integer> PERMANENT_CODES =
      Set.of(63003, 63024, 21211, 21408, OPTED_OUT_CODE, 63014, 63049, 63021, 21614, 21612);

  /**
   * Throttling, whatever HTTP status carries it: 20429 too many requests (HTTP 429; never processed, always safe to
   * retry with backoff); 63018 WhatsApp channel rate or messaging limit (back off, possibly for hours);
   * 63017 account over its messages-per-second limit.
   */
  static final Set<Integer> TRANSIENT_CODES = Set.of(20429, 63018, 63017);

  private TwilioErrors() {}

  /**
   * Classifies a Twilio refusal.
   *
   * @param errorCode  Twilio's error code ({@code code} in an API error body, {@code ErrorCode} in a status
   *                   callback), or null when there is none
   * @param httpStatus the HTTP status of the API answer, or 0 when there was none (status callbacks)
   */
  public static Kind classify(Integer errorCode, int httpStatus) {
    if (errorCode != null) {
      if (errorCode == OUTSIDE_WINDOW_CODE) {
        return Kind.OUTSIDE_WINDOW;
      }
      if (TRANSIENT_CODES.contains(errorCode)) {
        return Kind.TRANSIENT;
      }
      if (PERMANENT_CODES.contains(errorCode)) {
        return Kind.PERMANENT;
      }
    }
    if (httpStatus == 429 || (httpStatus >= 500 && httpStatus <= 599)) {
      return Kind.TRANSIENT;
    }
    return Kind.PERMANENT;
  }

  /** Whether the code means the recipient opted out (STOP); such users must not be messaged until they send START. */
  public static boolean optedOut(Integer errorCode) {
    return errorCode != null && errorCode == OPTED_OUT_CODE;
  }
}
