package dev.norns.whatsapp.workflows.model;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * Everything a reminder workflow needs, fixed at start so the workflow never reads configuration.
 *
 * @param body freeform text for the in-window send; null renders the template's body with the variables
 * @param confirmTimeout how long to wait after sending for delivered/read/failed before UNCONFIRMED
 * @param readTimeout how long to keep waiting for read once delivered
 */
public record ReminderInput(
    String reminderId,
    String userId,
    String templateName,
    Map<String, String> variables,
    String body,
    Instant dueAt,
    Duration confirmTimeout,
    Duration readTimeout) {}
