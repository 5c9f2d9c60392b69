package dev.norns.whatsapp.activities.db;

import java.time.Instant;

public record SessionRow(String phoneNumber, Instant lastInboundAt, Instant windowExpiresAt) {}
