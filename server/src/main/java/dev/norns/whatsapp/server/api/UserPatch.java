package dev.norns.whatsapp.server.api;

import com.fasterxml.jackson.annotation.JsonProperty;

/** A partial change of a user: what is absent (or null) stays as it is; an empty email removes it. */
public record UserPatch(
    @JsonProperty("display_name") String displayName,
    @JsonProperty("email") String email,
    @JsonProperty("phone_number") String phoneNumber,
    @JsonProperty("timezone") String timezone,
    @JsonProperty("quiet_hours") QuietHoursSetting quietHours) {

  public boolean empty() {
    return displayName == null && email == null && phoneNumber == null && timezone == null && quietHours == null;
  }
}
