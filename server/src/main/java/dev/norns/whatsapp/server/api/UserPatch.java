package dev.norns.whatsapp.server.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.norns.whatsapp.server.api.validation.TimeZoneId;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** A partial change of a user: what is absent (or null) stays as it is; an empty email removes it. */
public record UserPatch(
    @JsonProperty("display_name")
    @Pattern(regexp = Patterns.NOT_BLANK, message = "display_name is required (at most 200 characters)")
    @Size(max = 200, message = "display_name is required (at most 200 characters)")
    String displayName,
    @JsonProperty("email")
    @Pattern(regexp = Patterns.EMAIL_OR_BLANK, message = "'${validatedValue}' is not an email address")
    @Size(max = 320, message = "email is at most {max} characters")
    String email,
    @JsonProperty("phone_number") @Pattern(regexp = Patterns.NOT_BLANK, message = "phone_number is required")
    String phoneNumber,
    @JsonProperty("timezone") @TimeZoneId String timezone,
    @JsonProperty("quiet_hours") @Valid QuietHoursSetting quietHours) {

  public boolean empty() {
    return displayName == null && email == null && phoneNumber == null && timezone == null && quietHours == null;
  }
}
