package dev.norns.whatsapp.activities.db;

import java.time.Instant;
import java.util.UUID;

/**
 * A user; {@code optedOutAt} is set while they have opted out of WhatsApp messages (STOP); {@code erasedAt} once their
 * personal data was erased on request (name, email and phone are then null).
 */
public record UserRow(UUID id, String displayName, String email, String phoneNumber, String timezone,
    Instant createdAt, Instant updatedAt, Instant optedOutAt, Instant erasedAt) {}
