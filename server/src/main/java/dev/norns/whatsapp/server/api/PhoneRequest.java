package dev.norns.whatsapp.server.api;

import com.fasterxml.jackson.annotation.JsonProperty;

public record PhoneRequest(@JsonProperty("phone_number") String phoneNumber) {}
