package dev.norns.whatsapp.workflows.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;

/**
 * A user's quiet hours: local times {@code start} to {@code end} ("HH:mm") in {@code zone}, across midnight when
 * {@code end} is before {@code start} (21:00–08:00). A send due inside them goes out when they end. Pure java.time:
 * the workflow calls {@link #release} through {@code Workflow.sideEffect}, so a later change of the zone's rules never
 * changes a recorded decision.
 */
public record QuietHours(String zone, String start, String end) {
  public static final String DEFAULT_START = "21:00";
  public static final String DEFAULT_END = "08:00";

  /** The zone and both times, or why not (for the API's 422). */
  public static String problem(String zone, String start, String end) {
    try {
      ZoneId.of(zone);
    } catch (DateTimeException | NullPointerException e) {
      return "'" + zone + "' is not an IANA time zone";
    }
    for (String time : new String[] {start, end}) {
      try {
        LocalTime.parse(time);
      } catch (DateTimeParseException | NullPointerException e) {
        return "'" + time + "' is not a local time HH:mm";
      }
    }
    if (LocalTime.parse(start).equals(LocalTime.parse(end))) {
      return "quiet hours start and end at the same time; turn them off instead";
    }
    return null;
  }

  /** When a send due at {@code at} may go out: {@code at} itself, or the end of the quiet hours {@code at} falls in. */
  public Instant release(Instant at) {
    ZoneId id = ZoneId.of(zone);
    LocalTime from = LocalTime.parse(start);
    LocalTime to = LocalTime.parse(end);
    ZonedDateTime local = at.atZone(id);
    LocalTime time = local.toLocalTime();
    LocalDate endDay;
    if (from.isBefore(to)) {
      if (time.isBefore(from) || !time.isBefore(to)) {
        return at;
      }
      endDay = local.toLocalDate();
    } else {
      if (time.isBefore(from) && !time.isBefore(to)) {
        return at;
      }
      endDay = time.isBefore(to) ? local.toLocalDate() : local.toLocalDate().plusDays(1);
    }
    // A local end time inside a DST gap moves forward by the gap (ZonedDateTime.of's rule).
    Instant released = ZonedDateTime.of(endDay, to, id).toInstant();
    return released.isAfter(at) ? released : at;
  }

  /** "quiet hours 21:00–08:00 Europe/London". */
  @JsonIgnore
  public String describe() {
    return "quiet hours " + start + "–" + end + " " + zone;
  }
}
