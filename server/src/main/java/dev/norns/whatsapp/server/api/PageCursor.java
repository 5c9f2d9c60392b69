package dev.norns.whatsapp.server.api;

import dev.norns.whatsapp.server.errors.ApiException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

/** Where a page ended: the last entry's time (microseconds, as PostgreSQL keeps it) and sort key, opaque to callers. */
public record PageCursor(Instant at, String key) {
  public String encode() {
    long micros = at.getEpochSecond() * 1_000_000 + at.getNano() / 1000;
    return Base64.getUrlEncoder().withoutPadding().encodeToString((micros + "|" + key)
        .getBytes(StandardCharsets.UTF_8));
  }

  /** The key as the UUID it is for lists ordered by time and id. */
  public java.util.UUID id() {
    try {
      return java.util.UUID.fromString(key);
    } catch (IllegalArgumentException e) {
      throw ApiException.invalid("cursor", "cursor is not one this API gave out (use next_cursor as given)");
    }
  }

  public static PageCursor parse(String cursor) {
    if (cursor == null || cursor.isBlank()) {
      return null;
    }
    try {
      String[] parts = new String(Base64.getUrlDecoder().decode(cursor.strip()), StandardCharsets.UTF_8)
          .split("\\|", 2);
      long micros = Long.parseLong(parts[0]);
      if (parts.length != 2 || parts[1].isEmpty()) {
        throw new IllegalArgumentException("no key");
      }
      return new PageCursor(Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000),
          Math.floorMod(micros, 1_000_000) * 1000), parts[1]);
    } catch (IllegalArgumentException e) {
      throw ApiException.invalid("cursor", "cursor is not one this API gave out (use next_cursor as given)");
    }
  }
}
