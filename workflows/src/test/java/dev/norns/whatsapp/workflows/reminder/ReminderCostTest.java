package dev.norns.whatsapp.workflows.reminder;

import static org.assertj.core.api.Assertions.assertThat;

import dev.norns.whatsapp.workflows.TaskQueues;
import dev.norns.whatsapp.workflows.WorkflowIds;
import dev.norns.whatsapp.workflows.model.DeliveryStatus;
import dev.norns.whatsapp.workflows.model.DeliveryUpdate;
import dev.norns.whatsapp.workflows.model.DispatchReport;
import dev.norns.whatsapp.workflows.model.SendOutcome;
import dev.norns.whatsapp.workflows.model.ReminderInput;
import dev.norns.whatsapp.workflows.model.ReminderStatus;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What one reminder costs the Temporal server on its way to READ: every workflow task and activity is a round trip,
 * and at 9:00 thousands of reminders pay it at once. Bookkeeping is a local activity (a marker in the task that
 * changed the state), the session window is read by the send activity itself.
 */
class ReminderCostTest {
  @Test
  void givenAReminderThatReachesRead_itTakesAtMostFiveWorkflowTasksAndOneActivity() {
    FakeTwilio twilio = new FakeTwilio();
    try (TestWorkflowEnvironment env = ReminderTestEnvironment.start(new FakeBookkeeping(), twilio)) {
      ReminderWorkflow reminder = env.getWorkflowClient().newWorkflowStub(ReminderWorkflow.class,
          WorkflowOptions.newBuilder().setWorkflowId(WorkflowIds.reminder("cost"))
              .setTaskQueue(TaskQueues.REMINDERS).build());
      WorkflowClient.start(reminder::run, new ReminderInput("cost", "u1", "task_reminder",
          Map.of("task_name", "Ship it", "due_time", "5pm"), null,
          Instant.ofEpochMilli(env.currentTimeMillis()).plus(Duration.ofMinutes(1)), Duration.ofHours(1),
          Duration.ofHours(24), null, null, null, null, null));
      env.sleep(Duration.ofMinutes(2));
      String sid = reminder.getState().messageSid();
      reminder.deliveryStatus(new DeliveryUpdate(sid, DeliveryStatus.DELIVERED, null, null));
      env.sleep(Duration.ofSeconds(5));
      reminder.deliveryStatus(new DeliveryUpdate(sid, DeliveryStatus.READ, null, null));
      env.sleep(Duration.ofSeconds(5));
      assertThat(reminder.getState().status()).isEqualTo(ReminderStatus.READ);

      List<HistoryEvent> events = env.getWorkflowClient().fetchHistory(WorkflowIds.reminder("cost")).getEvents();
      long tasks = events.stream().filter(e -> e.getEventType() == EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED)
          .count();
      long activities = events.stream()
          .filter(e -> e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED).count();
      assertThat(tasks).as("workflow tasks").isLessThanOrEqualTo(5);
      assertThat(activities).as("activities").isEqualTo(1);
    }
  }

  /**
   * Dispatch ahead: the due instant costs the server one workflow task per reminder (the dispatcher's report, which
   * carries the delivery status seen meanwhile), no timer firing and no activity.
   */
  @Test
  void givenDispatchAhead_aReminderReachesReadInThreeWorkflowTasks_withNoActivityAndNoTimerAtTheDueTime() {
    FakeTwilio twilio = new FakeTwilio();
    try (TestWorkflowEnvironment env = ReminderTestEnvironment.start(new FakeBookkeeping(), twilio)) {
      ReminderWorkflow reminder = env.getWorkflowClient().newWorkflowStub(ReminderWorkflow.class,
          WorkflowOptions.newBuilder().setWorkflowId(WorkflowIds.reminder("cost-ahead"))
              .setTaskQueue(TaskQueues.REMINDERS).build());
      Instant due = Instant.ofEpochMilli(env.currentTimeMillis()).plus(Duration.ofHours(1));
      WorkflowClient.start(reminder::run, new ReminderInput("cost-ahead", "u1", "task_reminder",
          Map.of("task_name", "Ship it", "due_time", "5pm"), null, due, Duration.ofHours(1), Duration.ofHours(24),
          null, null, null, new ReminderInput.Dispatch(Duration.ofMinutes(10), Duration.ofMinutes(15)), null));
      env.sleep(Duration.ofMinutes(61));
      reminder.dispatched(DispatchReport.sent("send-1", SendOutcome.accepted("SM1", DeliveryStatus.QUEUED).at(due),
          new DeliveryUpdate("SM1", DeliveryStatus.READ, null, null)));
      env.sleep(Duration.ofSeconds(5));
      assertThat(reminder.getState().status()).isEqualTo(ReminderStatus.READ);

      List<HistoryEvent> events = env.getWorkflowClient().fetchHistory(WorkflowIds.reminder("cost-ahead"))
          .getEvents();
      assertThat(count(events, EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED)).as("workflow tasks").isEqualTo(3);
      assertThat(count(events, EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED)).as("activities").isZero();
      assertThat(count(events, EventType.EVENT_TYPE_TIMER_FIRED)).as("timers fired (the wake ahead)").isEqualTo(1);
      assertThat(twilio.sent).isEmpty();
    }
  }

  private static long count(List<HistoryEvent> events, EventType type) {
    return events.stream().filter(e -> e.getEventType() == type).count();
  }
}
