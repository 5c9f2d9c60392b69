package dev.norns.whatsapp.workflows.model;

/** What a user sees of a reminder. The order of the delivery states is the order of progress. */
public enum ReminderStatus {
  SCHEDULED,
  SENDING,
  SENT,
  DELIVERED,
  READ,
  CANCELLED,
  FAILED,
  /** Twilio accepted (or may have accepted) the message but no final delivery status came in time. */
  UNCONFIRMED,
  /** The user replied "done" (or ✅, ok, 👍). */
  ACKNOWLEDGED,
  /** The user sent STOP (or Twilio refused with 21610): nothing more is sent until START. */
  OPTED_OUT;

  /** A reminder in a final state has no workflow work left. */
  public boolean isFinal() {
    return this != SCHEDULED && this != SENDING && this != SENT;
  }
}
