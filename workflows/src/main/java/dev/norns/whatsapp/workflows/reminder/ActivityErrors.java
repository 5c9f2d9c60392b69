package dev.norns.whatsapp.workflows.reminder;

/** Application failure types shared by activities and workflows. */
public final class ActivityErrors {
  /** The user no longer exists or has no phone number. */
  public static final String USER_UNREACHABLE = "UserUnreachable";
  /** Twilio failed transiently (429, 5xx, timeout); safe to retry. */
  public static final String TWILIO_TRANSIENT = "TwilioTransient";
  /** An earlier attempt may have reached Twilio; waiting for its status callback before deciding. */
  public static final String SEND_OUTCOME_PENDING = "SendOutcomePending";

  private ActivityErrors() {}
}
