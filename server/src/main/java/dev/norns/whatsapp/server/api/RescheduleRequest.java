package dev.norns.whatsapp.server.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.norns.whatsapp.server.api.validation.IsoDateTime;
import jakarta.validation.constraints.NotBlank;

public record RescheduleRequest(
    @JsonProperty("due_at") @NotBlank(message = "due_at is required") @IsoDateTime String dueAt) {}
