package dev.norns.whatsapp.workflows.inbound;

import java.time.Instant;

/** One stored inbound message, as its workflow needs it. {@code userId} is null for a number we do not know. */
public record InboundInput(String messageSid, String userId, String phoneNumber, String body, String buttonPayload,
    String repliedToSid, Instant receivedAt) {}
