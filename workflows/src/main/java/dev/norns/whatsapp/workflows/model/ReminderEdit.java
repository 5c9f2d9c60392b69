package dev.norns.whatsapp.workflows.model;

import java.util.Map;

/** New content for a reminder not sent yet; each null field keeps what it had. Validated by the API first. */
public record ReminderEdit(String templateName, Map<String, String> variables, String body) {}
