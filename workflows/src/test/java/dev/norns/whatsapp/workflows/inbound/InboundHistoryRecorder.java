package dev.norns.whatsapp.workflows.inbound;

import dev.norns.whatsapp.workflows.TaskQueues;
import dev.norns.whatsapp.workflows.WorkflowIds;
import dev.norns.whatsapp.workflows.model.DeliveryStatus;
import dev.norns.whatsapp.workflows.model.OutboundMessage;
import dev.norns.whatsapp.workflows.model.SendOutcome;
import dev.norns.whatsapp.workflows.reminder.WhatsAppSendActivities;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * Records the inbound workflow histories the replay test replays (a "done" for a reminder whose workflow has closed:
 * signal refused, row acknowledged, confirmation sent). Run only when the workflow changes on purpose:
 * {@code java -cp <test classpath> dev.norns.whatsapp.workflows.inbound.InboundHistoryRecorder <dir>}
 */
public final class InboundHistoryRecorder {
  private InboundHistoryRecorder() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    Files.createDirectories(dir);
    try (TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance()) {
      Worker worker = env.newWorker(TaskQueues.REMINDERS);
      worker.registerWorkflowImplementationTypes(InboundWorkflowImpl.class);
      worker.registerActivitiesImplementations(new DoneForClosedReminder());
      env.newWorker(TaskQueues.WHATSAPP_SEND).registerActivitiesImplementations(new WhatsAppSendActivities() {
        @Override
        public SendOutcome send(OutboundMessage m) {
          return SendOutcome.accepted("SMreply", DeliveryStatus.QUEUED);
        }

        @Override
        public dev.norns.whatsapp.workflows.model.DeliveryUpdate lookup(String messageSid) {
          return null;
        }
      });
      env.start();
      String id = WorkflowIds.inbound("SMinbound");
      InboundWorkflow workflow = env.getWorkflowClient().newWorkflowStub(InboundWorkflow.class,
          WorkflowOptions.newBuilder().setWorkflowId(id).setTaskQueue(TaskQueues.REMINDERS).build());
      workflow.run(new InboundInput("SMinbound", "u1", "+14155550100", "done", null, null, Instant.now()));
      Files.writeString(dir.resolve("inbound-done-refused.json"),
          env.getWorkflowClient().fetchHistory(id).toJson(true));
    }
  }

  /** Interprets every message as DONE for a reminder that refuses it. */
  static final class DoneForClosedReminder implements InboundActivities {
    @Override
    public Interpretation interpret(InboundInput input) {
      return new Interpretation(Interpretation.Kind.DONE, "closed-reminder", null, "✅ Done: Ship it.", List.of(),
          false);
    }

    @Override
    public String applyReply(ReplyToReminder reply) {
      return "Nothing changed: that reminder is already cancelled.";
    }

    @Override
    public void forwardToAgent(String messageSid) {}

    @Override
    public void markProcessed(String messageSid, String interpretation, String reminderId) {}
  }
}
