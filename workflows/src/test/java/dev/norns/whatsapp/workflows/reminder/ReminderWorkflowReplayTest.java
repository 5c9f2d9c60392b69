package dev.norns.whatsapp.workflows.reminder;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.NonDeterministicException;
import io.temporal.workflow.Workflow;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * Histories recorded from earlier versions must replay on the current code: running reminders survive a deploy. The
 * phase-machine design retired the signal-based workflow's histories once (none existed in production).
 */
class ReminderWorkflowReplayTest {

  @ParameterizedTest
  @ValueSource(strings = {"histories/reminder-fallback-read-done.json",
      "histories/reminder-snooze-nudge-dismiss.json", "histories/reminder-edit-cancel.json",
      "histories/reminder-dispatch-snooze-done.json"})
  void givenRecordedHistory_whenReplayedOnCurrentCode_itIsDeterministic(String resource) throws Exception {
    WorkflowReplayer.replayWorkflowExecutionFromResource(resource, ReminderWorkflowImpl.class);
  }

  @Test
  void givenCodeThatDriftedWithoutVersioning_whenReplayed_itFails() {
    assertThatThrownBy(() -> WorkflowReplayer.replayWorkflowExecutionFromResource(
        "histories/reminder-fallback-read-done.json", DriftedReminder.class))
        .hasMessageContaining(NonDeterministicException.class.getSimpleName());
  }

  /** The same workflow with an extra timer before anything else, as an unversioned change would add. */
  public static class DriftedReminder extends ReminderWorkflowImpl {
    @io.temporal.workflow.WorkflowInit
    public DriftedReminder(dev.norns.whatsapp.workflows.model.ReminderInput input) {
      super(input);
    }

    @Override
    public dev.norns.whatsapp.workflows.model.ReminderState run(
        dev.norns.whatsapp.workflows.model.ReminderInput input) {
      Workflow.sleep(java.time.Duration.ofSeconds(1));
      return super.run(input);
    }
  }
}
