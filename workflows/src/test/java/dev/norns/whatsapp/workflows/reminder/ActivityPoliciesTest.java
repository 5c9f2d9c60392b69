package dev.norns.whatsapp.workflows.reminder;

import static org.assertj.core.api.Assertions.assertThat;

import io.temporal.activity.LocalActivityOptions;
import io.temporal.common.RetryOptions;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Bookkeeping (the reminder's PostgreSQL row, a local activity) must outlast a long database outage without costing
 * the worker memory for every reminder it ever handled.
 */
class ActivityPoliciesTest {
  @Test
  void givenPostgresDown_bookkeepingKeepsRetryingForAWeekAtLeast_evenWhenEveryAttemptFailsAtOnce() {
    RetryOptions retry = ActivityPolicies.bookkeeping().getRetryOptions();
    long waited = 0;
    // The SDK's own backoff between attempt n and n + 1, over every attempt the policy allows.
    for (int attempt = 1; attempt < retry.getMaximumAttempts(); attempt++) {
      waited += retry.calculateSleepTime(attempt);
    }
    assertThat(Duration.ofMillis(waited)).isGreaterThanOrEqualTo(Duration.ofDays(7));
    assertThat(retry.getMaximumInterval()).isLessThanOrEqualTo(Duration.ofMinutes(1));
  }

  @Test
  void bookkeepingHasNoScheduleToCloseTimeout_whichTheWorkerWouldHoldATimerForUntilItExpired() {
    // The SDK's local activity worker schedules the schedule-to-close timeout on its scheduler and only cancels it when
    // the activity ends: the cancelled task stays queued until its delay is over (measured: 11,738 queued after 9,000
    // reminders with a week-long timeout; 653 with attempts as the bound, the seconds-long timeouts of recent attempts).
    LocalActivityOptions options = ActivityPolicies.bookkeeping();
    assertThat(options.getScheduleToCloseTimeout()).isNull();
    assertThat(options.getStartToCloseTimeout()).isGreaterThan(Duration.ofSeconds(5));
  }
}
