package dev.norns.whatsapp.activities.db;

import java.time.Instant;
import java.util.UUID;

/** A stored inbound WhatsApp message; {@code media} is a JSON array of {url, content_type}. */
public record InboundMessageRow(String sid, UUID userId, String fromNumber, String profileName, String body,
    String media, String buttonPayload, String buttonText, String repliedToSid, Instant receivedAt,
    String interpretation, UUID reminderId, Instant processedAt) {}
