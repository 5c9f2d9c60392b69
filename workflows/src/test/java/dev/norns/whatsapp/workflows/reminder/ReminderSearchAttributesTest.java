package dev.norns.whatsapp.workflows.reminder;

import static org.assertj.core.api.Assertions.assertThat;

import dev.norns.whatsapp.workflows.ReminderSearchAttributes;
import dev.norns.whatsapp.workflows.TaskQueues;
import dev.norns.whatsapp.workflows.WorkflowIds;
import dev.norns.whatsapp.workflows.model.DeliveryStatus;
import dev.norns.whatsapp.workflows.model.DeliveryUpdate;
import dev.norns.whatsapp.workflows.model.ReminderInput;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.common.SearchAttributes;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The search attributes operators filter on in the Temporal UI follow the reminder's state. */
class ReminderSearchAttributesTest {
  private TestWorkflowEnvironment env;
  private ReminderWorkflow reminder;

  @BeforeEach
  void start() {
    env = TestWorkflowEnvironment.newInstance();
    ReminderSearchAttributes.REGISTERED.forEach(env::registerSearchAttribute);
    Worker reminders = env.newWorker(TaskQueues.REMINDERS);
    reminders.registerWorkflowImplementationTypes(ReminderWorkflowImpl.class);
    reminders.registerActivitiesImplementations(new FakeBookkeeping());
    env.newWorker(TaskQueues.WHATSAPP_SEND).registerActivitiesImplementations(new FakeTwilio());
    env.start();
  }

  @AfterEach
  void stop() {
    env.close();
  }

  private SearchAttributes attributes() {
    return WorkflowStub.fromTyped(reminder).describe().getTypedSearchAttributes();
  }

  @Test
  void givenReminder_itsSearchAttributesFollowScheduleRescheduleSendAndRead() {
    Instant now = Instant.ofEpochMilli(env.currentTimeMillis()).truncatedTo(ChronoUnit.MILLIS);
    Instant due = now.plus(Duration.ofHours(5));
    reminder = env.getWorkflowClient().newWorkflowStub(ReminderWorkflow.class, WorkflowOptions.newBuilder()
        .setWorkflowId(WorkflowIds.reminder("sa1")).setTaskQueue(TaskQueues.REMINDERS)
        .setTypedSearchAttributes(ReminderSearchAttributes.initial("u7", due))
        .setMemo(ReminderSearchAttributes.memo("task_reminder", "u7", due)).build());
    WorkflowClient.start(reminder::run, new ReminderInput("sa1", "u7", "task_reminder",
        Map.of("task_name", "Ship it", "due_time", "5pm"), null, due, Duration.ofHours(1), Duration.ofHours(2), null, null, null, null, null));
    env.sleep(Duration.ofMinutes(1));
    assertThat(attributes().get(ReminderSearchAttributes.USER_ID)).isEqualTo("u7");
    assertThat(attributes().get(ReminderSearchAttributes.STATUS)).isEqualTo("SCHEDULED");
    assertThat(attributes().get(ReminderSearchAttributes.DUE_AT).toInstant()).isEqualTo(due);
    assertThat(attributes().containsKey(ReminderSearchAttributes.CHANNEL)).isFalse();
    assertThat(WorkflowStub.fromTyped(reminder).describe().getMemo("summary", String.class))
        .isEqualTo("task_reminder for u7 due " + due);

    Instant moved = now.plus(Duration.ofHours(1));
    reminder.reschedule(moved);
    env.sleep(Duration.ofMinutes(1));
    assertThat(attributes().get(ReminderSearchAttributes.DUE_AT).toInstant()).isEqualTo(moved);

    env.sleep(Duration.ofHours(1));
    assertThat(attributes().get(ReminderSearchAttributes.STATUS)).isEqualTo("SENT");
    assertThat(attributes().get(ReminderSearchAttributes.CHANNEL)).isEqualTo("template");

    reminder.deliveryStatus(new DeliveryUpdate("SM1", DeliveryStatus.READ, null, null));
    env.sleep(Duration.ofMinutes(1));
    assertThat(attributes().get(ReminderSearchAttributes.STATUS)).isEqualTo("READ");
    assertThat(attributes().get(ReminderSearchAttributes.DUE_AT).getOffset()).isEqualTo(ZoneOffset.UTC);
  }

  @Test
  void givenWorkflowStartedWithoutAttributes_itSetsThemItself() {
    Instant due = Instant.ofEpochMilli(env.currentTimeMillis()).plus(Duration.ofDays(1)).truncatedTo(ChronoUnit.MILLIS);
    reminder = env.getWorkflowClient().newWorkflowStub(ReminderWorkflow.class, WorkflowOptions.newBuilder()
        .setWorkflowId(WorkflowIds.reminder("sa2")).setTaskQueue(TaskQueues.REMINDERS).build());
    WorkflowClient.start(reminder::run, new ReminderInput("sa2", "u8", "task_reminder",
        Map.of("task_name", "Ship it", "due_time", "5pm"), null, due, Duration.ofHours(1), Duration.ofHours(2), null, null, null, null, null));
    env.sleep(Duration.ofMinutes(1));
    reminder.cancel();
    WorkflowStub.fromTyped(reminder).getResult(Object.class);
    assertThat(attributes().get(ReminderSearchAttributes.USER_ID)).isEqualTo("u8");
    assertThat(attributes().get(ReminderSearchAttributes.STATUS)).isEqualTo("CANCELLED");
    assertThat(attributes().get(ReminderSearchAttributes.DUE_AT).toInstant()).isEqualTo(due);
  }
}
