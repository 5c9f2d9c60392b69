package dev.norns.whatsapp.workflows.model;

import java.util.Map;

/**
 * One send to Twilio. {@code reminderId} + {@code attemptKey} identify it across activity retries, worker crashes and
 * process restarts: the send activity never calls Twilio twice for the same pair.
 */
public record OutboundMessage(
    String reminderId,
    String attemptKey,
    String to,
    Channel channel,
    String templateName,
    Map<String, String> variables,
    String body) {}
