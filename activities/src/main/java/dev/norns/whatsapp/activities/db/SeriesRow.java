package dev.norns.whatsapp.activities.db;

import java.time.Instant;
import java.time.LocalDateTime;
import java.util.UUID;

/** A series of recurring reminders as stored; {@code variables} is JSON object text. */
public record SeriesRow(
    UUID id,
    UUID userId,
    String recurrence,
    String timezone,
    LocalDateTime startsAtLocal,
    String templateName,
    String variables,
    String body,
    Integer nudgeEverySeconds,
    Integer nudgeMax,
    String quietHours,
    String status,
    Instant nextDueAt,
    UUID nextReminderId,
    int occurrences,
    String idempotencyKey,
    Instant createdAt,
    Instant updatedAt) {}
