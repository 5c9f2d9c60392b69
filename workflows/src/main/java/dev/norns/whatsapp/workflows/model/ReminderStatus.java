package dev.norns.whatsapp.workflows.model;

/**
 * What a user sees of a reminder. Whether it is over is its {@link Phase} ({@link ReminderState#isFinal()}): a READ
 * reminder may still be waiting for a reply.
 */
public enum ReminderStatus {
  SCHEDULED,
  SENDING,
  SENT,
  DELIVERED,
  READ,
  /** The user asked to be reminded later: sent again at the due time. */
  SNOOZED,
  CANCELLED,
  FAILED,
  /** Twilio accepted (or may have accepted) the message but no final delivery status came in time. */
  UNCONFIRMED,
  /** The user replied "done" (or ✅, ok, 👍). */
  ACKNOWLEDGED,
  /** The user sent STOP (or Twilio refused with 21610): nothing more is sent until START. */
  OPTED_OUT;

  /** Whether Twilio's delivery statuses still move this status (the message is out, nothing else decided). */
  public boolean followsDelivery() {
    return this == SENT || this == UNCONFIRMED || this == DELIVERED || this == READ;
  }

  /**
   * The one rule for delivery progress: the status after Twilio reports {@code delivery} for the current message.
   * Forward only, SENT &lt; UNCONFIRMED &lt; DELIVERED &lt; READ; a terminal failure of a message not yet delivered
   * is FAILED; anything else leaves the status as it is.
   */
  public ReminderStatus after(DeliveryStatus delivery) {
    if (delivery == null || !followsDelivery()) {
      return this;
    }
    return switch (delivery) {
      case DELIVERED -> this == READ ? READ : DELIVERED;
      case READ -> READ;
      case FAILED, UNDELIVERED, CANCELED -> this == DELIVERED || this == READ ? this : FAILED;
      default -> this;
    };
  }
}
