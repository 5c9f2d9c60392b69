package dev.norns.whatsapp.server.api;

import com.fasterxml.jackson.annotation.JsonProperty;

public record UserRequest(
    @JsonProperty("display_name") String displayName,
    @JsonProperty("email") String email,
    @JsonProperty("phone_number") String phoneNumber,
    @JsonProperty("timezone") String timezone,
    @JsonProperty("quiet_hours") QuietHoursSetting quietHours) {}
