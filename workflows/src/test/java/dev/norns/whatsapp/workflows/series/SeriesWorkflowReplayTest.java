package dev.norns.whatsapp.workflows.series;

import io.temporal.testing.WorkflowReplayer;
import org.junit.jupiter.api.Test;

/** A recorded series history must replay on the current code: running series survive a deploy. */
class SeriesWorkflowReplayTest {

  @Test
  void givenRecordedHistory_whenReplayedOnCurrentCode_itIsDeterministic() throws Exception {
    WorkflowReplayer.replayWorkflowExecutionFromResource("histories/series-pause-resume-edit-cancel.json",
        SeriesWorkflowImpl.class);
  }
}
