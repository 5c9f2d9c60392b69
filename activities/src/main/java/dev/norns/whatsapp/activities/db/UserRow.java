package dev.norns.whatsapp.activities.db;

import java.time.Instant;
import java.util.UUID;

public record UserRow(UUID id, String displayName, String email, String phoneNumber, String timezone,
    Instant createdAt, Instant updatedAt) {}
