package dev.norns.whatsapp.activities.series;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecurrenceTest {
  private static final ZoneId LONDON = ZoneId.of("Europe/London");

  private static List<Instant> occurrences(Recurrence rule, ZoneId zone, LocalDateTime start, Instant after, int n) {
    List<Instant> out = new ArrayList<>();
    Instant cursor = after;
    for (int i = 0; i < n; i++) {
      Instant next = rule.next(zone, start, cursor);
      if (next == null) {
        break;
      }
      out.add(next);
      cursor = next;
    }
    return out;
  }

  @Test
  void givenAWeeklyRuleInLondon_itKeepsNineOClockLocalAcrossTheLastSundayOfMarch() {
    Recurrence rule = Recurrence.parse("RRULE:FREQ=WEEKLY;BYDAY=MO,WE;BYHOUR=9;BYMINUTE=0");
    LocalDateTime start = LocalDateTime.parse("2027-03-17T10:17:00"); // a Wednesday, after 09:00
    List<Instant> times = occurrences(rule, LONDON, start, Instant.parse("2027-03-17T10:17:00Z"), 4);

    // GMT until 28 March 2027, BST (UTC+1) after: 09:00 local each time.
    assertThat(times).containsExactly(
        Instant.parse("2027-03-22T09:00:00Z"),
        Instant.parse("2027-03-24T09:00:00Z"),
        Instant.parse("2027-03-29T08:00:00Z"),
        Instant.parse("2027-03-31T08:00:00Z"));
    assertThat(times).allSatisfy(t -> assertThat(t.atZone(LONDON).getHour()).isEqualTo(9));
  }

  @Test
  void givenALocalTimeInTheSpringForwardGap_itMovesForwardByTheGap() {
    Recurrence daily = Recurrence.parse("FREQ=DAILY");
    List<Instant> times = occurrences(daily, LONDON, LocalDateTime.parse("2027-03-27T01:30:00"),
        Instant.parse("2027-03-27T00:00:00Z"), 3);
    assertThat(times).containsExactly(Instant.parse("2027-03-27T01:30:00Z"), Instant.parse("2027-03-28T01:30:00Z"),
        Instant.parse("2027-03-29T00:30:00Z"));
  }

  @Test
  void givenCountOrUntil_theSeriesEnds() {
    LocalDateTime start = LocalDateTime.parse("2027-01-04T09:00:00");
    Instant before = Instant.parse("2027-01-01T00:00:00Z");
    assertThat(occurrences(Recurrence.parse("FREQ=DAILY;COUNT=3"), LONDON, start, before, 10)).hasSize(3);
    assertThat(Recurrence.parse("FREQ=DAILY;COUNT=3").next(LONDON, start, Instant.parse("2027-01-06T09:00:00Z")))
        .as("COUNT counts from the start, not from the cursor").isNull();
    assertThat(occurrences(Recurrence.parse("FREQ=DAILY;UNTIL=20270106T235959Z"), LONDON, start, before, 10))
        .hasSize(3);
  }

  @Test
  void givenTheCursorFarAfterTheStart_itSkipsToTheFirstOccurrenceAfterIt() {
    Instant next = Recurrence.parse("FREQ=WEEKLY;BYDAY=FR;BYHOUR=17;BYMINUTE=30").next(LONDON,
        LocalDateTime.parse("2020-01-01T00:00:00"), Instant.parse("2027-07-01T12:00:00Z"));
    assertThat(next).isEqualTo(Instant.parse("2027-07-02T16:30:00Z"));
  }

  @Test
  void givenBadRules_theyAreRefusedSayingWhy() {
    assertThatThrownBy(() -> Recurrence.parse("FREQ=WEEKLY;BYDAY=XX")).hasMessageContaining("not an RFC 5545 RRULE");
    assertThatThrownBy(() -> Recurrence.parse("every monday")).hasMessageContaining("not an RFC 5545 RRULE");
    assertThatThrownBy(() -> Recurrence.parse("FREQ=MINUTELY")).hasMessageContaining("HOURLY at most");
    assertThatThrownBy(() -> Recurrence.parse("DTSTART:20270101T090000\nRRULE:FREQ=DAILY"))
        .hasMessageContaining("one RRULE");
    assertThatThrownBy(() -> Recurrence.parse(" ")).hasMessageContaining("empty");
    assertThat(Recurrence.parse("rrule:FREQ=DAILY").rule()).isEqualTo("FREQ=DAILY");
  }
}
