package dev.norns.whatsapp.workflows.model;

/**
 * Where a reminder's workflow is in its life: scheduled → sending → following delivery → awaiting a reply
 * (→ snoozed → sending …) → done. Only {@link #DONE} is final: the workflow has nothing left to do.
 */
public enum Phase {
  /** Waiting for the due time. */
  SCHEDULED,
  /** The send activity is under way (the 63016 fallback included). */
  SENDING,
  /** Sent: waiting for Twilio to say delivered, read or failed. */
  FOLLOWING,
  /** Delivered (or settled): waiting for the user's reply, nudging meanwhile. */
  AWAITING_REPLY,
  /** The user snoozed it: waiting for the snooze time, then sent again. */
  SNOOZED,
  DONE;

  /** Before the (next) send: the due time and the content can still change. */
  public boolean waitingToSend() {
    return this == SCHEDULED || this == SNOOZED;
  }

  /** The user has been sent it and it is not over: replies act on it. */
  public boolean sentAndOpen() {
    return this == FOLLOWING || this == AWAITING_REPLY || this == SNOOZED;
  }
}
