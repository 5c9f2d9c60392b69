package dev.norns.whatsapp.server.api;

import com.fasterxml.jackson.annotation.JsonProperty;

public record RescheduleRequest(@JsonProperty("due_at") String dueAt) {}
