package dev.norns.whatsapp.activities.inbound;

import static org.assertj.core.api.Assertions.assertThat;

import dev.norns.whatsapp.activities.inbound.ReplyCommand.Kind;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class ReplyCommandTest {
  /** 2026-11-24 22:30 UTC = 23:30 in Oslo, 17:30 in New York. */
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-24T22:30:00Z"), ZoneOffset.UTC);

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({"done, DONE", "Done!, DONE", "  OK , DONE", "okay, DONE", "✅, DONE", "👍, DONE", "👍🏽, DONE",
      "👍👍, DONE", "cancel, CANCEL", "STOP, STOP", "Unsubscribe, STOP", "start, START", "join shiny-lamp, JOIN",
      "done with the report?, MESSAGE", "what is due today, MESSAGE", "'', MESSAGE", "snooze 0m, MESSAGE",
      "snooze 999 days, MESSAGE", "tomorrow 13pm, MESSAGE"})
  void givenText_itIsRecognised(String text, Kind kind) {
    assertThat(ReplyCommand.parse(text, ZoneId.of("UTC"), CLOCK).kind()).isEqualTo(kind);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"snooze 30m, PT30M", "snooze 2h, PT2H", "Snooze 45 minutes, PT45M", "snooze for 1 day, P1D",
      "snooze, PT1H"})
  void givenSnooze_itMovesTheReminderByThatMuch(String text, Duration by) {
    ReplyCommand command = ReplyCommand.parse(text, ZoneId.of("UTC"), CLOCK);
    assertThat(command.kind()).isEqualTo(Kind.SNOOZE);
    assertThat(command.snoozeUntil()).isEqualTo(CLOCK.instant().plus(by));
  }

  @Test
  void givenTomorrowAt9am_itIsTheNextDayAt9InTheUsersTimezone() {
    assertThat(ReplyCommand.parse("tomorrow 9am", ZoneId.of("Europe/Oslo"), CLOCK).snoozeUntil())
        .isEqualTo(Instant.parse("2026-11-25T08:00:00Z"));
    assertThat(ReplyCommand.parse("tomorrow at 9:30", ZoneId.of("America/New_York"), CLOCK).snoozeUntil())
        .isEqualTo(Instant.parse("2026-11-25T14:30:00Z"));
    assertThat(ReplyCommand.parse("tomorrow 12am", ZoneId.of("UTC"), CLOCK).snoozeUntil())
        .isEqualTo(Instant.parse("2026-11-25T00:00:00Z"));
  }
}
