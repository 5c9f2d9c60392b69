package dev.norns.whatsapp.workflows.inbound;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.temporal.testing.WorkflowReplayer;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A recorded inbound-message history must replay on the current code. */
class InboundWorkflowReplayTest {

  @Test
  void givenRecordedHistory_whenReplayedOnCurrentCode_itIsDeterministic() throws Exception {
    WorkflowReplayer.replayWorkflowExecutionFromResource("histories/inbound-done-refused.json",
        InboundWorkflowImpl.class);
  }

  @Test
  void givenCodeThatDriftedWithoutVersioning_whenReplayed_itFails() {
    assertThatThrownBy(() -> WorkflowReplayer.replayWorkflowExecutionFromResource(
        "histories/inbound-done-refused.json", Drifted.class))
        .hasMessageContaining("NonDeterministicException");
  }

  /** The same workflow with a timer added before anything else, as an unversioned change would. */
  public static class Drifted extends InboundWorkflowImpl {
    @Override
    public Interpretation.Kind run(InboundInput input) {
      Workflow.sleep(Duration.ofSeconds(1));
      return super.run(input);
    }
  }
}
