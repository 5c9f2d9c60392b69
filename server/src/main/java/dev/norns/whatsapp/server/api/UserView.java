package dev.norns.whatsapp.server.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.norns.whatsapp.activities.db.UserRow;
import java.time.Instant;

/**
 * A user as the API shows them: opt-out state, and (for one user) their WhatsApp session window; an erased user is a
 * tombstone (id, time zone, times) with {@code erased_at}.
 */
public record UserView(
    @JsonProperty("user_id") String userId,
    @JsonProperty("display_name") String displayName,
    @JsonProperty("email") String email,
    @JsonProperty("phone_number") String phoneNumber,
    @JsonProperty("timezone") String timezone,
    @JsonProperty("created_at") Instant createdAt,
    @JsonProperty("updated_at") Instant updatedAt,
    @JsonProperty("opted_out") boolean optedOut,
    @JsonProperty("opted_out_at") Instant optedOutAt,
    @JsonInclude(JsonInclude.Include.NON_NULL) @JsonProperty("quiet_hours") QuietHoursSetting quietHours,
    @JsonInclude(JsonInclude.Include.NON_NULL) @JsonProperty("window_open") Boolean windowOpen,
    @JsonInclude(JsonInclude.Include.NON_NULL) @JsonProperty("window_expires_at") Instant windowExpiresAt,
    @JsonInclude(JsonInclude.Include.NON_NULL) @JsonProperty("erased_at") Instant erasedAt) {

  public static UserView of(UserRow row) {
    return new UserView(row.id().toString(), row.displayName(), row.email(), row.phoneNumber(), row.timezone(),
        row.createdAt(), row.updatedAt(), row.optedOutAt() != null, row.optedOutAt(),
        row.erasedAt() == null ? QuietHoursSetting.of(row) : null, null, null, row.erasedAt());
  }

  /** With the user's session window as it stands (the channel a reminder would take now). */
  public UserView withWindow(boolean open, Instant expiresAt) {
    return new UserView(userId, displayName, email, phoneNumber, timezone, createdAt, updatedAt, optedOut, optedOutAt,
        quietHours, open, expiresAt, erasedAt);
  }
}
