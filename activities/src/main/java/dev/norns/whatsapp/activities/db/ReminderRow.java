package dev.norns.whatsapp.activities.db;

import java.time.Instant;
import java.util.UUID;

/** A reminder as stored; {@code variables} is the JSON object text (see {@link Json}). */
public record ReminderRow(
    UUID id,
    UUID userId,
    String templateName,
    String variables,
    String body,
    Instant dueAt,
    String status,
    String channel,
    String channelReason,
    String messageSid,
    int attempts,
    String lastErrorCode,
    String lastError,
    Instant sentAt,
    String idempotencyKey,
    Instant createdAt,
    Instant updatedAt,
    Integer nudgeEverySeconds,
    Integer nudgeMax,
    Instant acknowledgedAt,
    String phase,
    int round,
    int nudgesSent,
    Instant firstSentAt,
    String quietHours,
    Instant deferredUntil,
    String deferredReason,
    UUID seriesId) {

  /** The workflow has nothing left to do for it. */
  public boolean done() {
    return "DONE".equals(phase);
  }
}
