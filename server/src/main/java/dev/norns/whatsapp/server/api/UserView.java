package dev.norns.whatsapp.server.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.norns.whatsapp.activities.db.UserRow;
import java.time.Instant;

public record UserView(
    @JsonProperty("user_id") String userId,
    @JsonProperty("display_name") String displayName,
    @JsonProperty("email") String email,
    @JsonProperty("phone_number") String phoneNumber,
    @JsonProperty("timezone") String timezone,
    @JsonProperty("created_at") Instant createdAt,
    @JsonProperty("updated_at") Instant updatedAt) {

  public static UserView of(UserRow row) {
    return new UserView(row.id().toString(), row.displayName(), row.email(), row.phoneNumber(), row.timezone(),
        row.createdAt(), row.updatedAt());
  }
}
