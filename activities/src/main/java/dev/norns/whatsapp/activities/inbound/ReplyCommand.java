package dev.norns.whatsapp.activities.inbound;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a user's WhatsApp text asks for: opt out/in, or an action on a reminder (done, snooze, cancel). Anything else is
 * an ordinary message for the agent.
 */
public record ReplyCommand(Kind kind, Instant snoozeUntil) {

  public enum Kind { STOP, START, JOIN, DONE, SNOOZE, CANCEL, MESSAGE }

  private static final Set<String> STOP = Set.of("stop", "stopall", "unsubscribe", "end", "quit");
  private static final Set<String> START = Set.of("start", "unstop");
  private static final Set<String> DONE = Set.of("done", "ok", "okay", "✅", "✔", "✔️", "☑️", "👍", "done ✅");
  private static final Pattern SNOOZE = Pattern.compile(
      "snooze(?:\\s+(?:for\\s+)?(\\d{1,4})\\s*(m|min|mins|minute|minutes|h|hr|hrs|hour|hours|d|day|days))?");
  private static final Pattern TOMORROW = Pattern.compile(
      "(?:snooze\\s+(?:until\\s+)?)?tomorrow(?:\\s+at)?\\s+(\\d{1,2})(?::(\\d{2}))?\\s*(am|pm)?");
  private static final Duration DEFAULT_SNOOZE = Duration.ofHours(1);
  private static final Duration MAX_SNOOZE = Duration.ofDays(30);

  public static ReplyCommand parse(String text, ZoneId zone, Clock clock) {
    String t = normalize(text);
    if (STOP.contains(t)) {
      return of(Kind.STOP);
    }
    if (START.contains(t)) {
      return of(Kind.START);
    }
    if (t.startsWith("join ")) {
      return of(Kind.JOIN);
    }
    if (DONE.contains(t) || t.matches("(👍|✅)+")) {
      return of(Kind.DONE);
    }
    if (t.equals("cancel")) {
      return of(Kind.CANCEL);
    }
    Matcher snooze = SNOOZE.matcher(t);
    if (snooze.matches()) {
      Duration by = snooze.group(1) == null ? DEFAULT_SNOOZE : duration(Long.parseLong(snooze.group(1)),
          snooze.group(2));
      if (by.isZero() || by.compareTo(MAX_SNOOZE) > 0) {
        return of(Kind.MESSAGE);
      }
      return new ReplyCommand(Kind.SNOOZE, clock.instant().plus(by));
    }
    Matcher tomorrow = TOMORROW.matcher(t);
    if (tomorrow.matches()) {
      return tomorrowAt(tomorrow, zone, clock).map(at -> new ReplyCommand(Kind.SNOOZE, at))
          .orElse(of(Kind.MESSAGE));
    }
    return of(Kind.MESSAGE);
  }

  private static ReplyCommand of(Kind kind) {
    return new ReplyCommand(kind, null);
  }

  /** Lower case, inner whitespace collapsed, trailing punctuation and variation selectors of emoji dropped. */
  static String normalize(String text) {
    if (text == null) {
      return "";
    }
    String t = text.strip().toLowerCase(Locale.ROOT).replaceAll("\\s+", " ");
    t = t.replaceAll("[.!?]+$", "").strip();
    return t.replaceAll("[\\uFE0F\\x{1F3FB}-\\x{1F3FF}]", "");
  }

  private static Duration duration(long amount, String unit) {
    return switch (unit.charAt(0)) {
      case 'm' -> Duration.ofMinutes(amount);
      case 'h' -> Duration.ofHours(amount);
      default -> Duration.ofDays(amount);
    };
  }

  private static Optional<Instant> tomorrowAt(Matcher m, ZoneId zone, Clock clock) {
    int hour = Integer.parseInt(m.group(1));
    int minute = m.group(2) == null ? 0 : Integer.parseInt(m.group(2));
    String meridiem = m.group(3);
    if (meridiem != null) {
      if (hour < 1 || hour > 12) {
        return Optional.empty();
      }
      hour = hour % 12 + (meridiem.equals("pm") ? 12 : 0);
    }
    if (hour > 23 || minute > 59) {
      return Optional.empty();
    }
    ZonedDateTime now = ZonedDateTime.ofInstant(clock.instant(), zone);
    return Optional.of(now.toLocalDate().plusDays(1).atTime(LocalTime.of(hour, minute)).atZone(zone).toInstant());
  }
}
