package dev.norns.whatsapp.activities.db;

import java.time.Instant;
import java.util.UUID;

/** One send attempt. {@code state}: sending, accepted, retry or rejected (see the V2 migration). */
public record MessageRow(
    long id,
    UUID reminderId,
    String attemptKey,
    String sid,
    String channel,
    String toNumber,
    String state,
    String status,
    String errorCode,
    String errorMessage,
    String statusHistory,
    Instant createdAt,
    Instant updatedAt) {

  public static final String SENDING = "sending";
  public static final String ACCEPTED = "accepted";
  public static final String RETRY = "retry";
  public static final String REJECTED = "rejected";
}
