package dev.norns.whatsapp.workflows.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class QuietHoursTest {
  private final QuietHours london = new QuietHours("Europe/London", "21:00", "08:00");

  @Test
  void givenATimeInsideOvernightQuietHours_itIsReleasedAtTheirEndInTheUsersZone() {
    // 03:11 in London in winter (GMT) is released at 08:00 GMT the same morning.
    assertThat(london.release(Instant.parse("2026-12-01T03:11:00Z"))).isEqualTo(Instant.parse("2026-12-01T08:00:00Z"));
    // 22:30 in summer (BST) is released at 08:00 BST the next morning, 07:00 UTC.
    assertThat(london.release(Instant.parse("2026-07-01T21:30:00Z"))).isEqualTo(Instant.parse("2026-07-02T07:00:00Z"));
  }

  @Test
  void givenATimeOutsideQuietHours_itIsNotMoved() {
    Instant noon = Instant.parse("2026-12-01T12:00:00Z");
    assertThat(london.release(noon)).isEqualTo(noon);
    Instant justBefore = Instant.parse("2026-12-01T20:59:59Z");
    assertThat(london.release(justBefore)).isEqualTo(justBefore);
    Instant theEnd = Instant.parse("2026-12-01T08:00:00Z");
    assertThat(london.release(theEnd)).isEqualTo(theEnd);
  }

  @Test
  void givenDaytimeQuietHours_theyApplyBetweenStartAndEndOnly() {
    QuietHours lunch = new QuietHours("Asia/Tokyo", "12:00", "13:30");
    assertThat(lunch.release(Instant.parse("2026-12-01T03:15:00Z"))) // 12:15 in Tokyo
        .isEqualTo(Instant.parse("2026-12-01T04:30:00Z"));
    assertThat(lunch.release(Instant.parse("2026-12-01T05:00:00Z"))).isEqualTo(Instant.parse("2026-12-01T05:00:00Z"));
  }

  @Test
  void givenAnEndTimeInTheSpringForwardGap_itMovesForwardByTheGap() {
    // London skips 01:00–02:00 on 2027-03-28: quiet hours ending at 01:30 end at 02:30 BST (01:30 UTC).
    QuietHours early = new QuietHours("Europe/London", "23:00", "01:30");
    assertThat(early.release(Instant.parse("2027-03-28T00:30:00Z"))).isEqualTo(Instant.parse("2027-03-28T01:30:00Z"));
  }

  @Test
  void givenBadSettings_problemSaysWhat() {
    assertThat(QuietHours.problem("Mars/Base", "21:00", "08:00")).contains("IANA");
    assertThat(QuietHours.problem("UTC", "9pm", "08:00")).contains("HH:mm");
    assertThat(QuietHours.problem("UTC", "08:00", "08:00")).contains("same time");
    assertThat(QuietHours.problem("UTC", "21:00", "08:00")).isNull();
  }
}
