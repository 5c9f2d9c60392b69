package dev.norns.whatsapp.server.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.norns.whatsapp.server.api.validation.TimeZoneId;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * A new user. The phone number is checked and normalised by the resource (libphonenumber, with the configured default
 * region); a number another user has is a 409.
 */
public record UserRequest(
    @JsonProperty("display_name")
    @NotBlank(message = "display_name is required (at most 200 characters)")
    @Size(max = 200, message = "display_name is required (at most 200 characters)")
    String displayName,
    @JsonProperty("email")
    @Pattern(regexp = Patterns.EMAIL_OR_BLANK, message = "'${validatedValue}' is not an email address")
    @Size(max = 320, message = "email is at most {max} characters")
    String email,
    @JsonProperty("phone_number") @Pattern(regexp = Patterns.NOT_BLANK, message = "phone_number is blank: leave it "
        + "out for a user without one") String phoneNumber,
    @JsonProperty("timezone") @TimeZoneId String timezone,
    @JsonProperty("quiet_hours") @Valid QuietHoursSetting quietHours) {}
