package dev.norns.whatsapp.workflows.reminder;

import dev.norns.whatsapp.workflows.ReminderSearchAttributes;
import dev.norns.whatsapp.workflows.TaskQueues;
import dev.norns.whatsapp.workflows.WorkflowIds;
import dev.norns.whatsapp.workflows.model.DeliveryStatus;
import dev.norns.whatsapp.workflows.model.DeliveryUpdate;
import dev.norns.whatsapp.workflows.model.ReminderInput;
import dev.norns.whatsapp.workflows.model.SendOutcome;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * Records the histories the replay tests replay. Run it only when the workflow changes on purpose (behind
 * {@code Workflow.getVersion}), never to make a failing replay test pass:
 * {@code java -cp <test classpath> dev.norns.whatsapp.workflows.reminder.HistoryRecorder workflows/src/test/resources/histories}
 */
public final class HistoryRecorder {
  private HistoryRecorder() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    Files.createDirectories(dir);
    // Histories of earlier code versions stay as recorded; only histories of the current version are added.
    // reminder-v1-read-then-done.json: reply-to-act, before search attributes. This one: search-attributes v1.
    record(dir.resolve("reminder-v2-search-attributes.json"), true);
  }

  private static void record(Path file, boolean deliver) throws Exception {
    try (TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance()) {
      ReminderSearchAttributes.REGISTERED.forEach(env::registerSearchAttribute);
      FakeBookkeeping bookkeeping = new FakeBookkeeping();
      bookkeeping.windowOpen = true;
      FakeTwilio twilio = new FakeTwilio()
          .thenOnly(m -> SendOutcome.refused(SendOutcome.Result.OUTSIDE_WINDOW, "63016", "outside window"))
          .then(m -> SendOutcome.accepted("SMrecorded", DeliveryStatus.QUEUED));
      Worker worker = env.newWorker(TaskQueues.REMINDERS);
      worker.registerWorkflowImplementationTypes(ReminderWorkflowImpl.class);
      worker.registerActivitiesImplementations(bookkeeping);
      env.newWorker(TaskQueues.WHATSAPP_SEND).registerActivitiesImplementations(twilio);
      env.start();

      String id = WorkflowIds.reminder(deliver ? "recorded-read" : "recorded-cancelled");
      ReminderWorkflow reminder = env.getWorkflowClient().newWorkflowStub(ReminderWorkflow.class,
          WorkflowOptions.newBuilder().setWorkflowId(id).setTaskQueue(TaskQueues.REMINDERS).build());
      Instant now = Instant.ofEpochMilli(env.currentTimeMillis());
      WorkflowClient.start(reminder::run, new ReminderInput("recorded", "u1", "task_reminder",
          Map.of("task_name", "Ship it", "due_time", "5pm"), null, now.plus(Duration.ofDays(1)),
          Duration.ofHours(1), Duration.ofHours(2), null));
      env.sleep(Duration.ofHours(1));
      if (!deliver) {
        reminder.cancel();
      } else {
        reminder.reschedule(now.plus(Duration.ofHours(3)));
        env.sleep(Duration.ofHours(2).plusMinutes(1));
        reminder.deliveryStatus(new DeliveryUpdate("SMrecorded", DeliveryStatus.SENT, null, null));
        reminder.deliveryStatus(new DeliveryUpdate("SMrecorded", DeliveryStatus.READ, null, null));
        reminder.deliveryStatus(new DeliveryUpdate("SMrecorded", DeliveryStatus.DELIVERED, null, null));
        env.sleep(Duration.ofMinutes(5));
        reminder.acknowledge();
      }
      WorkflowStub.fromTyped(reminder).getResult(Object.class);
      Files.writeString(file, env.getWorkflowClient().fetchHistory(id).toJson(true));
    }
  }
}
