package dev.norns.whatsapp.activities.series;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.Locale;
import java.util.TimeZone;
import org.dmfs.rfc5545.DateTime;
import org.dmfs.rfc5545.recur.Freq;
import org.dmfs.rfc5545.recur.InvalidRecurrenceRuleException;
import org.dmfs.rfc5545.recur.RecurrenceRule;
import org.dmfs.rfc5545.recur.RecurrenceRuleIterator;

/**
 * An RFC 5545 RRULE (parsed by dmfs lib-recur, strict mode) evaluated in a time zone from a local start: occurrences
 * keep their local time across DST changes (09:00 stays 09:00 in Europe/London after the last Sunday of March); a local
 * time that does not exist that day moves forward by the gap. Thread-safe: each call iterates afresh.
 */
public final class Recurrence {
  /** Occurrences looked at before giving up on finding one after a time (a rule that skips for centuries). */
  private static final int MAX_STEPS = 200_000;

  private final String rule;
  private final RecurrenceRule parsed;

  private Recurrence(String rule, RecurrenceRule parsed) {
    this.rule = rule;
    this.parsed = parsed;
  }

  /**
   * "RRULE:FREQ=WEEKLY;BYDAY=MO,WE;BYHOUR=9;BYMINUTE=0" or the same without "RRULE:".
   *
   * @throws IllegalArgumentException saying what is wrong, for the API's 422
   */
  public static Recurrence parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("recurrence is empty");
    }
    String rule = text.strip();
    if (rule.toUpperCase(Locale.ROOT).startsWith("RRULE:")) {
      rule = rule.substring("RRULE:".length());
    }
    if (rule.contains("\n") || rule.toUpperCase(Locale.ROOT).contains("DTSTART")) {
      throw new IllegalArgumentException("give one RRULE only; the start is due_at (or now), in the user's time zone");
    }
    RecurrenceRule parsed;
    try {
      parsed = new RecurrenceRule(rule, RecurrenceRule.RfcMode.RFC5545_STRICT);
    } catch (InvalidRecurrenceRuleException | RuntimeException e) {
      throw new IllegalArgumentException("'" + text.strip() + "' is not an RFC 5545 RRULE: " + e.getMessage());
    }
    if (parsed.getFreq() == Freq.SECONDLY || parsed.getFreq() == Freq.MINUTELY) {
      throw new IllegalArgumentException("FREQ=" + parsed.getFreq() + " is more often than a reminder can be: "
          + "HOURLY at most");
    }
    return new Recurrence(rule, parsed);
  }

  /** The rule as stored (without "RRULE:"). */
  public String rule() {
    return rule;
  }

  /**
   * The first occurrence strictly after {@code after}, of the series that starts at local {@code start} in
   * {@code zone} (the start itself counts only if the rule produces it); null when the rule has none left (COUNT or
   * UNTIL reached).
   */
  public Instant next(ZoneId zone, LocalDateTime start, Instant after) {
    TimeZone tz = TimeZone.getTimeZone(zone);
    DateTime first = new DateTime(tz, start.getYear(), start.getMonthValue() - 1, start.getDayOfMonth(),
        start.getHour(), start.getMinute(), start.getSecond());
    RecurrenceRuleIterator iterator = parsed.iterator(first);
    if (parsed.getCount() == null) {
      // Without COUNT, skipping ahead is exact; with COUNT the occurrences before must be counted.
      iterator.fastForward(after.toEpochMilli() + 1);
    }
    for (int step = 0; step < MAX_STEPS && iterator.hasNext(); step++) {
      long millis = iterator.nextMillis();
      if (millis > after.toEpochMilli()) {
        return Instant.ofEpochMilli(millis);
      }
    }
    return null;
  }
}
