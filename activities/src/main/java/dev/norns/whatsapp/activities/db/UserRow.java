package dev.norns.whatsapp.activities.db;

import dev.norns.whatsapp.workflows.model.QuietHours;
import java.time.Instant;
import java.util.UUID;

/**
 * A user; {@code optedOutAt} is set while they have opted out of WhatsApp messages (STOP); {@code erasedAt} once their
 * personal data was erased on request (name, email and phone are then null).
 */
public record UserRow(UUID id, String displayName, String email, String phoneNumber, String timezone,
    Instant createdAt, Instant updatedAt, Instant optedOutAt, Instant erasedAt, String quietHoursStart,
    String quietHoursEnd, boolean quietHoursOff) {

  /** The user's quiet hours in their zone (the default 21:00–08:00 unless set), or null when turned off. */
  public QuietHours quietHours() {
    if (quietHoursOff) {
      return null;
    }
    return new QuietHours(timezone == null ? "UTC" : timezone,
        quietHoursStart == null ? QuietHours.DEFAULT_START : quietHoursStart,
        quietHoursEnd == null ? QuietHours.DEFAULT_END : quietHoursEnd);
  }
}
