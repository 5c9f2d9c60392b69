package dev.norns.whatsapp.workflows.reminder;

import io.temporal.activity.ActivityOptions;
import io.temporal.activity.LocalActivityOptions;
import io.temporal.common.RetryOptions;
import java.time.Duration;
import dev.norns.whatsapp.workflows.TaskQueues;

/** The one place activity timeouts and retry policies are set. */
public final class ActivityPolicies {

  private ActivityPolicies() {}

  /** How long bookkeeping keeps retrying while PostgreSQL is down, at least. */
  static final Duration BOOKKEEPING_RETRIES_SPAN = Duration.ofDays(7);

  // Built once: every reminder workflow the worker runs (or replays into its cache) takes these options.
  private static final LocalActivityOptions BOOKKEEPING = bookkeepingOptions();

  /**
   * The reminder's PostgreSQL row, written as a local activity in the workflow task that changed it (no activity task,
   * no extra round trip to the server); retried until the database is back, for a week at least.
   */
  public static LocalActivityOptions bookkeeping() {
    return BOOKKEEPING;
  }

  private static LocalActivityOptions bookkeepingOptions() {
    // The start-to-close timeout is longer than the JDBC socket timeout (5 s), so a frozen database fails an attempt
    // rather than the timeout. The week is bounded by attempts, not by a schedule-to-close timeout: the SDK's local
    // activity worker keeps a timer for that timeout in its scheduler until it expires, even when the activity ended
    // at once (a cancelled task stays queued), so a week-long timeout held one task per local activity for a week.
    RetryOptions retry = untilTheDatabaseIsBack();
    return LocalActivityOptions.newBuilder()
        .setStartToCloseTimeout(Duration.ofSeconds(15))
        .setRetryOptions(retry.toBuilder()
            .setMaximumAttempts(attemptsSpanning(BOOKKEEPING_RETRIES_SPAN, retry))
            .build())
        .build();
  }

  /**
   * How many attempts {@code retry} makes before its backoffs alone add up to {@code span} (the SDK's own backoff,
   * {@link RetryOptions#calculateSleepTime}): a bound on attempts that lasts at least that long, however quickly each
   * attempt fails.
   */
  static int attemptsSpanning(Duration span, RetryOptions retry) {
    long waited = 0;
    int attempts = 1;
    while (waited < span.toMillis()) {
      waited += retry.calculateSleepTime(attempts);
      attempts++;
    }
    return attempts;
  }

  /** PostgreSQL work of the inbound workflow: quick, retried until the database is back. */
  public static ActivityOptions inbound() {
    return ActivityOptions.newBuilder()
        .setTaskQueue(TaskQueues.REMINDERS)
        .setStartToCloseTimeout(Duration.ofSeconds(10))
        .setRetryOptions(untilTheDatabaseIsBack())
        .build();
  }

  /** No attempt limit: a database outage delays the work, it never drops it. */
  private static RetryOptions untilTheDatabaseIsBack() {
    return RetryOptions.newBuilder()
        .setInitialInterval(Duration.ofMillis(500))
        .setBackoffCoefficient(2)
        .setMaximumInterval(Duration.ofMinutes(1))
        .build();
  }

  /** Forwarding to the agent: retried with backoff for up to a week, until the agent accepts the message. */
  public static ActivityOptions agentForward() {
    return ActivityOptions.newBuilder()
        .setTaskQueue(TaskQueues.REMINDERS)
        .setStartToCloseTimeout(Duration.ofSeconds(30))
        .setScheduleToCloseTimeout(Duration.ofDays(7))
        .setRetryOptions(RetryOptions.newBuilder()
            .setInitialInterval(Duration.ofSeconds(2))
            .setBackoffCoefficient(2)
            .setMaximumInterval(Duration.ofMinutes(10))
            .build())
        .build();
  }

  /**
   * Twilio sends: bounded exponential backoff (1 s, 2 s, 4 s … capped at 2 min, 10 attempts, ~10 min in all) so a
   * Twilio outage ends in FAILED with its last error rather than a reminder retried forever. The start-to-close
   * timeout is longer than the HTTP client's so an attempt never overlaps the next one.
   */
  public static ActivityOptions twilioSend() {
    return ActivityOptions.newBuilder()
        .setTaskQueue(TaskQueues.WHATSAPP_SEND)
        .setScheduleToStartTimeout(Duration.ofHours(1))
        .setStartToCloseTimeout(Duration.ofSeconds(45))
        .setRetryOptions(RetryOptions.newBuilder()
            .setInitialInterval(Duration.ofSeconds(1))
            .setBackoffCoefficient(2)
            .setMaximumInterval(Duration.ofMinutes(2))
            .setMaximumAttempts(10)
            .build())
        .build();
  }
}
