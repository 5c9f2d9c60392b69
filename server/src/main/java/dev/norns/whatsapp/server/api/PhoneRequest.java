package dev.norns.whatsapp.server.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.NotBlank;

/** A user's new number; the resource normalises it to E.164. */
public record PhoneRequest(
    @JsonProperty("phone_number") @NotBlank(message = "phone_number is required") String phoneNumber) {}
