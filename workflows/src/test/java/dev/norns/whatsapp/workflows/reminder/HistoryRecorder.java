package dev.norns.whatsapp.workflows.reminder;

import dev.norns.whatsapp.workflows.ReminderSearchAttributes;
import dev.norns.whatsapp.workflows.TaskQueues;
import dev.norns.whatsapp.workflows.WorkflowIds;
import dev.norns.whatsapp.workflows.model.DeliveryStatus;
import dev.norns.whatsapp.workflows.model.DeliveryUpdate;
import dev.norns.whatsapp.workflows.model.ReminderEdit;
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
import java.util.function.BiConsumer;

/**
 * Records the histories the replay tests replay. Run it only when the workflow changes on purpose (behind
 * {@code Workflow.getVersion}), never to make a failing replay test pass:
 * {@code java -cp <test classpath> dev.norns.whatsapp.workflows.reminder.HistoryRecorder workflows/src/test/resources/histories}
 * The phase-machine design retired the histories of the signal-based workflow once (no production history existed).
 */
public final class HistoryRecorder {
  private HistoryRecorder() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    Files.createDirectories(dir);
    record(dir.resolve("reminder-fallback-read-done.json"), "fallback", (env, reminder) -> {
      Instant now = Instant.ofEpochMilli(env.currentTimeMillis());
      reminder.reschedule(now.plus(Duration.ofHours(1)));
      env.sleep(Duration.ofHours(1).plusMinutes(1));
      reminder.deliveryStatus(new DeliveryUpdate("SMrecorded", DeliveryStatus.SENT, null, null));
      reminder.deliveryStatus(new DeliveryUpdate("SMrecorded", DeliveryStatus.READ, null, null));
      reminder.deliveryStatus(new DeliveryUpdate("SMrecorded", DeliveryStatus.DELIVERED, null, null));
      env.sleep(Duration.ofMinutes(5));
      reminder.acknowledge(Instant.ofEpochMilli(env.currentTimeMillis()));
    });
    record(dir.resolve("reminder-snooze-nudge-dismiss.json"), "snooze", (env, reminder) -> {
      reminder.deliveryStatus(new DeliveryUpdate("SMrecorded", DeliveryStatus.DELIVERED, null, null));
      env.sleep(Duration.ofMinutes(1));
      Instant now = Instant.ofEpochMilli(env.currentTimeMillis());
      reminder.snooze(now.plus(Duration.ofHours(1)), now);
      reminder.snooze(now.plus(Duration.ofHours(2)), now);
      env.sleep(Duration.ofHours(2).plusMinutes(40));
      reminder.dismiss(Instant.ofEpochMilli(env.currentTimeMillis()));
    });
    record(dir.resolve("reminder-edit-cancel.json"), "cancel", (env, reminder) -> {
      reminder.edit(new ReminderEdit(null, Map.of("task_name", "Ship it today", "due_time", "4pm"), null));
      reminder.cancel();
    });
  }

  private static void record(Path file, String name, BiConsumer<TestWorkflowEnvironment, ReminderWorkflow> script)
      throws Exception {
    try (TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance()) {
      ReminderSearchAttributes.REGISTERED.forEach(env::registerSearchAttribute);
      FakeTwilio twilio = new FakeTwilio();
      twilio.windowOpen = name.equals("fallback");
      if (name.equals("fallback")) {
        twilio.thenOnly(m -> SendOutcome.refused(SendOutcome.Result.OUTSIDE_WINDOW, "63016", "outside window"))
            .then(m -> SendOutcome.accepted("SMrecorded", DeliveryStatus.QUEUED));
      } else {
        twilio.thenOnly(m -> SendOutcome.accepted(m.attemptKey().equals("send-1") ? "SMrecorded"
            : "SM" + m.attemptKey(), DeliveryStatus.QUEUED));
      }
      Worker worker = env.newWorker(TaskQueues.REMINDERS);
      worker.registerWorkflowImplementationTypes(ReminderWorkflowImpl.class);
      worker.registerActivitiesImplementations(new FakeBookkeeping());
      env.newWorker(TaskQueues.WHATSAPP_SEND).registerActivitiesImplementations(twilio);
      env.start();

      String id = WorkflowIds.reminder("recorded-" + name);
      Instant now = Instant.ofEpochMilli(env.currentTimeMillis());
      Instant due = name.equals("snooze") ? now.plus(Duration.ofMinutes(1)) : now.plus(Duration.ofDays(1));
      ReminderWorkflow reminder = env.getWorkflowClient().newWorkflowStub(ReminderWorkflow.class,
          WorkflowOptions.newBuilder().setWorkflowId(id).setTaskQueue(TaskQueues.REMINDERS)
              .setTypedSearchAttributes(ReminderSearchAttributes.initial("u1", due)).build());
      WorkflowClient.start(reminder::run, new ReminderInput("recorded-" + name, "u1", "task_reminder",
          Map.of("task_name", "Ship it", "due_time", "5pm"), null, due, Duration.ofHours(1),
          Duration.ofHours(24), name.equals("snooze") ? new ReminderInput.Nudge(Duration.ofMinutes(30), 1) : null,
          "Reminder for Ada: \"Ship it\", due " + due, null));
      env.sleep(Duration.ofHours(1));
      script.accept(env, reminder);
      WorkflowStub.fromTyped(reminder).getResult(Object.class);
      Files.writeString(file, env.getWorkflowClient().fetchHistory(id).toJson(true));
    }
  }
}
