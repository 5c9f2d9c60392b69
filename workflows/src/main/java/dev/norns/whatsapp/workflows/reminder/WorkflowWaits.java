package dev.norns.whatsapp.workflows.reminder;

import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.Functions;
import io.temporal.workflow.Promise;
import io.temporal.workflow.TimerOptions;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Small deterministic helpers for workflow code. */
public final class WorkflowWaits {
  private WorkflowWaits() {}

  static Instant now() {
    return Instant.ofEpochMilli(Workflow.currentTimeMillis());
  }

  /**
   * Waits until {@code condition} holds or {@code timeout} passes; true if the condition held. The timer carries
   * {@code summary} for the Temporal UI ("until due", "nudge 2 of 3"…). Uses a timer in its own
   * cancellation scope so that it does not stay behind once the condition fires (sdk-java #2312).
   */
  public static boolean awaitFor(Duration timeout, String summary, Functions.Func<Boolean> condition) {
    List<Promise<Void>> timer = new ArrayList<>(1);
    TimerOptions options = TimerOptions.newBuilder().setSummary(summary).build();
    CancellationScope scope = Workflow.newCancellationScope(() -> timer.add(Workflow.newTimer(timeout, options)));
    scope.run();
    Workflow.await(() -> condition.apply() || timer.get(0).isCompleted());
    boolean held = condition.apply();
    if (!timer.get(0).isCompleted()) {
      scope.cancel();
    }
    return held;
  }

  /** The activity's own message, without Temporal's wrapping. */
  static String messageOf(ActivityFailure failure) {
    Throwable cause = failure.getCause();
    if (cause instanceof ApplicationFailure app) {
      return app.getOriginalMessage();
    }
    return cause != null ? cause.getMessage() : failure.getMessage();
  }

  /** The Twilio code a send activity attached to its last failure. */
  static String errorCodeOf(ActivityFailure failure) {
    if (failure.getCause() instanceof ApplicationFailure app && app.getDetails().getSize() > 0) {
      return app.getDetails().get(String.class);
    }
    return "TWILIO_UNAVAILABLE";
  }
}
