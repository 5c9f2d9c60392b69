package dev.norns.whatsapp.workflows.reminder;

import dev.norns.whatsapp.workflows.ReminderSearchAttributes;
import dev.norns.whatsapp.workflows.TaskQueues;
import dev.norns.whatsapp.workflows.WorkflowIds;
import dev.norns.whatsapp.workflows.model.DeliveryStatus;
import dev.norns.whatsapp.workflows.model.DeliveryUpdate;
import dev.norns.whatsapp.workflows.model.DispatchReport;
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
 * {@code java -cp <test classpath> dev.norns.whatsapp.workflows.reminder.HistoryRecorder workflows/src/test/resources/histories
 * [name…]} (names: only those; the others stay as recorded, so they keep proving older histories replay).
 * The phase-machine design retired the histories of the signal-based workflow once (no production history existed).
 */
public final class HistoryRecorder {
  private HistoryRecorder() {}

  private static java.util.Set<String> only = java.util.Set.of();

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    Files.createDirectories(dir);
    only = java.util.Arrays.stream(args).skip(1).collect(java.util.stream.Collectors.toSet());
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
    // Dispatch ahead: queued, the dispatcher's report (read already), a snooze whose round is queued and reported
    // too, then done.
    record(dir.resolve("reminder-dispatch-snooze-done.json"), "dispatch", (env, reminder) -> {
      Instant due = reminder.getState().dueAt();
      env.sleep(Duration.between(Instant.ofEpochMilli(env.currentTimeMillis()), due).plusSeconds(1));
      reminder.dispatched(DispatchReport.sent("send-1", SendOutcome.accepted("SMrecorded", DeliveryStatus.QUEUED)
          .at(due), new DeliveryUpdate("SMrecorded", DeliveryStatus.READ, null, null)));
      env.sleep(Duration.ofMinutes(1));
      Instant now = Instant.ofEpochMilli(env.currentTimeMillis());
      reminder.snooze(now.plus(Duration.ofMinutes(30)), now);
      env.sleep(Duration.ofMinutes(31));
      reminder.dispatched(DispatchReport.sent("r2-send-1", SendOutcome.accepted("SMround2", DeliveryStatus.QUEUED)
          .at(now.plus(Duration.ofMinutes(30))), new DeliveryUpdate("SMround2", DeliveryStatus.DELIVERED, null,
          null)));
      env.sleep(Duration.ofMinutes(1));
      reminder.acknowledge(Instant.ofEpochMilli(env.currentTimeMillis()));
    });
  }

  private static void record(Path file, String name, BiConsumer<TestWorkflowEnvironment, ReminderWorkflow> script)
      throws Exception {
    if (!only.isEmpty() && !only.contains(name)) {
      return;
    }
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
          "Reminder for Ada: \"Ship it\", due " + due, null, name.equals("dispatch")
              ? new ReminderInput.Dispatch(Duration.ofMinutes(10), Duration.ofMinutes(15)) : null, null));
      env.sleep(Duration.ofHours(1));
      script.accept(env, reminder);
      WorkflowStub.fromTyped(reminder).getResult(Object.class);
      Files.writeString(file, env.getWorkflowClient().fetchHistory(id).toJson(true));
    }
  }
}
