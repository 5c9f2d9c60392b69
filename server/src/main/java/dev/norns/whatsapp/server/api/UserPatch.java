package dev.norns.whatsapp.server.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.norns.whatsapp.server.api.validation.DisplayName;
import dev.norns.whatsapp.server.api.validation.EmailAddress;
import dev.norns.whatsapp.server.api.validation.TimeZoneId;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Pattern;

/** A partial change of a user: what is absent (or null) stays as it is; an empty email removes it. */
public record UserPatch(
    @JsonProperty("display_name")
    @DisplayName
    String displayName,
    @JsonProperty("email") @EmailAddress String email,
    @JsonProperty("phone_number") @Pattern(regexp = Patterns.NOT_BLANK, message = "phone_number is required")
    String phoneNumber,
    @JsonProperty("timezone") @TimeZoneId String timezone,
    @JsonProperty("quiet_hours") @Valid QuietHoursSetting quietHours) {

  public boolean empty() {
    return displayName == null && email == null && phoneNumber == null && timezone == null && quietHours == null;
  }
}
