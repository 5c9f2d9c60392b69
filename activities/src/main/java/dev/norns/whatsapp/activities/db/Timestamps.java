package dev.norns.whatsapp.activities.db;

import java.sql.Timestamp;
import java.time.Instant;

/** JDBC timestamps read by hand-written row mappers. */
public final class Timestamps {
  private Timestamps() {}

  /** The instant of a nullable column's value. */
  public static Instant instant(Timestamp timestamp) {
    return timestamp == null ? null : timestamp.toInstant();
  }
}
