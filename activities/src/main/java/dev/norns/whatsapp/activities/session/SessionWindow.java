package dev.norns.whatsapp.activities.session;

import java.time.Instant;

/**
 * A phone's 24-hour customer-service window as last known.
 *
 * @param source "cache" (Redis) or "database" (PostgreSQL)
 */
public record SessionWindow(String phoneNumber, Instant lastInboundAt, Instant windowExpiresAt, boolean open,
    String source) {

  public static final String CACHE = "cache";
  public static final String DATABASE = "database";
}
