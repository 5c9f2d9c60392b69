package dev.norns.whatsapp.workflows.model;

import java.util.Locale;

/**
 * Twilio's outbound message statuses, kept as a one-way maximum because status callbacks arrive out of order
 * and more than once: queued < sending < sent < delivered < read; failed and undelivered are terminal.
 */
public enum DeliveryStatus {
  ACCEPTED(0),
  SCHEDULED(0),
  QUEUED(0),
  SENDING(1),
  SENT(2),
  DELIVERED(3),
  READ(4),
  UNDELIVERED(5),
  FAILED(5),
  CANCELED(5);

  private final int rank;

  DeliveryStatus(int rank) {
    this.rank = rank;
  }

  public boolean isTerminal() {
    return rank == 5;
  }

  /** The status to keep when {@code next} is reported while {@code this} is known. */
  public DeliveryStatus merge(DeliveryStatus next) {
    if (next == null || isTerminal()) {
      return this;
    }
    return next.rank > rank ? next : this;
  }

  /** Parses Twilio's lower-case status; null for anything Twilio may add later. */
  public static DeliveryStatus fromTwilio(String value) {
    if (value == null) {
      return null;
    }
    try {
      return valueOf(value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException unknown) {
      return null;
    }
  }

  public String twilioName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
