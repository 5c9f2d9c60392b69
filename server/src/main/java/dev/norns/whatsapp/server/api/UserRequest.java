package dev.norns.whatsapp.server.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.norns.whatsapp.server.api.validation.DisplayName;
import dev.norns.whatsapp.server.api.validation.EmailAddress;
import dev.norns.whatsapp.server.api.validation.TimeZoneId;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

/**
 * A new user. The phone number is checked and normalised by the resource (libphonenumber, with the configured default
 * region); a number another user has is a 409.
 */
public record UserRequest(
    @JsonProperty("display_name")
    @NotNull(message = "display_name is required (at most 200 characters)")
    @DisplayName
    String displayName,
    @JsonProperty("email") @EmailAddress String email,
    @JsonProperty("phone_number") @Pattern(regexp = Patterns.NOT_BLANK, message = "phone_number is blank: leave it "
        + "out for a user without one") String phoneNumber,
    @JsonProperty("timezone") @TimeZoneId String timezone,
    @JsonProperty("quiet_hours") @Valid QuietHoursSetting quietHours) {}
