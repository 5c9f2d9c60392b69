package dev.norns.whatsapp.workflows.model;

import java.time.Instant;

/**
 * Where and how a reminder can go right now.
 *
 * @param windowExpiresAt end of the 24-hour session window, null if the user never wrote
 * @param windowSource "cache" or "database": where the window was read
 * @param optedOut the user sent STOP: send nothing
 */
public record DeliveryPlan(String phoneNumber, boolean windowOpen, Instant windowExpiresAt, String windowSource,
    boolean optedOut) {}
