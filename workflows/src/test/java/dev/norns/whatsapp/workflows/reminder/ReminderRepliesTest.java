package dev.norns.whatsapp.workflows.reminder;

import static org.assertj.core.api.Assertions.assertThat;

import dev.norns.whatsapp.workflows.TaskQueues;
import dev.norns.whatsapp.workflows.WorkflowIds;
import dev.norns.whatsapp.workflows.model.DeliveryStatus;
import dev.norns.whatsapp.workflows.model.DeliveryUpdate;
import dev.norns.whatsapp.workflows.model.ReminderInput;
import dev.norns.whatsapp.workflows.model.ReminderState;
import dev.norns.whatsapp.workflows.model.ReminderStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.testing.TestWorkflowEnvironment;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What a user's reply (done, snooze, cancel, STOP) and the nudge policy do to a reminder. */
class ReminderRepliesTest {
  private TestWorkflowEnvironment env;
  private final FakeBookkeeping bookkeeping = new FakeBookkeeping();
  private final FakeTwilio twilio = new FakeTwilio();
  private ReminderWorkflow reminder;

  @BeforeEach
  void start() {
    env = ReminderTestEnvironment.start(bookkeeping, twilio);
  }

  @AfterEach
  void stop() {
    env.close();
  }

  private Instant now() {
    return Instant.ofEpochMilli(env.currentTimeMillis());
  }

  private void schedule(ReminderInput.Nudge nudge) {
    reminder = env.getWorkflowClient().newWorkflowStub(ReminderWorkflow.class, WorkflowOptions.newBuilder()
        .setWorkflowId(WorkflowIds.reminder("r1")).setTaskQueue(TaskQueues.REMINDERS).build());
    WorkflowClient.start(reminder::run, new ReminderInput("r1", "u1", "task_reminder",
        Map.of("task_name", "Ship it", "due_time", "5pm"), null, now().plusSeconds(60),
        Duration.ofHours(1), Duration.ofHours(24), nudge, null, null, null, null));
    env.sleep(Duration.ofMinutes(2));
    reminder.deliveryStatus(new DeliveryUpdate(twilio.sent.get(0).attemptKey().equals("send-1") ? "SM1" : "?",
        DeliveryStatus.READ, null, null));
  }

  private ReminderState result() {
    return WorkflowStub.fromTyped(reminder).getResult(ReminderState.class);
  }

  @Test
  void givenReadReminder_whenTheUserRepliesDone_itEndsAcknowledged() {
    schedule(null);
    assertThat(reminder.getState().status()).isEqualTo(ReminderStatus.READ);
    reminder.acknowledge(now());
    assertThat(result().status()).isEqualTo(ReminderStatus.ACKNOWLEDGED);
    assertThat(bookkeeping.last().status()).isEqualTo(ReminderStatus.ACKNOWLEDGED);
  }

  @Test
  void givenSentReminder_whenSnoozed_itIsSentAgainAtTheSnoozeTimeAndNotBefore() {
    schedule(null);
    reminder.snooze(now().plus(Duration.ofMinutes(30)), now());
    env.sleep(Duration.ofMinutes(29));
    assertThat(twilio.sent).hasSize(1);
    assertThat(reminder.getState().status()).isEqualTo(ReminderStatus.SNOOZED);
    env.sleep(Duration.ofMinutes(2));
    assertThat(twilio.sent).hasSize(2);
    assertThat(twilio.sent.get(1).attemptKey()).isEqualTo("r2-send-1");
    assertThat(reminder.getState().status()).isEqualTo(ReminderStatus.SENT);
  }

  @Test
  void givenSentReminder_whenTheUserRepliesCancel_itEndsCancelled() {
    schedule(null);
    reminder.dismiss(now());
    assertThat(result().status()).isEqualTo(ReminderStatus.CANCELLED);
  }

  @Test
  void givenNoReply_itEndsWithItsDeliveryStatusWhenTheReplyWindowCloses() {
    schedule(null);
    assertThat(result().status()).isEqualTo(ReminderStatus.READ);
    assertThat(twilio.sent).hasSize(1);
  }

  @Test
  void givenNudgePolicy_itResendsUntilAcknowledged() {
    schedule(new ReminderInput.Nudge(Duration.ofMinutes(30), 3));
    env.sleep(Duration.ofMinutes(31));
    assertThat(twilio.sent).extracting(m -> m.attemptKey()).containsExactly("send-1", "r1-nudge-1");
    reminder.acknowledge(now());
    assertThat(result().status()).isEqualTo(ReminderStatus.ACKNOWLEDGED);
    env.sleep(Duration.ofHours(3));
    assertThat(twilio.sent).hasSize(2);
  }

  @Test
  void givenNudgePolicy_itStopsAfterMax() {
    schedule(new ReminderInput.Nudge(Duration.ofMinutes(30), 3));
    env.sleep(Duration.ofHours(5));
    assertThat(twilio.sent).extracting(m -> m.attemptKey())
        .containsExactly("send-1", "r1-nudge-1", "r1-nudge-2", "r1-nudge-3");
  }

  @Test
  void givenScheduledReminder_whenTheUserOptsOut_itEndsOptedOutWithoutSending() {
    reminder = env.getWorkflowClient().newWorkflowStub(ReminderWorkflow.class, WorkflowOptions.newBuilder()
        .setWorkflowId(WorkflowIds.reminder("r2")).setTaskQueue(TaskQueues.REMINDERS).build());
    WorkflowClient.start(reminder::run, new ReminderInput("r2", "u1", "task_reminder", Map.of(), null,
        now().plus(Duration.ofHours(2)), Duration.ofHours(1), Duration.ofHours(24), null, null, null, null, null));
    env.sleep(Duration.ofMinutes(1));
    reminder.optOut();
    assertThat(result().status()).isEqualTo(ReminderStatus.OPTED_OUT);
    assertThat(twilio.sent).isEmpty();
  }

  @Test
  void givenUserOptedOutBeforeTheDueTime_itSendsNothing() {
    twilio.optedOut = true;
    reminder = env.getWorkflowClient().newWorkflowStub(ReminderWorkflow.class, WorkflowOptions.newBuilder()
        .setWorkflowId(WorkflowIds.reminder("r3")).setTaskQueue(TaskQueues.REMINDERS).build());
    WorkflowClient.start(reminder::run, new ReminderInput("r3", "u1", "task_reminder", Map.of(), null,
        now(), Duration.ofHours(1), Duration.ofHours(24), null, null, null, null, null));
    assertThat(result().status()).isEqualTo(ReminderStatus.OPTED_OUT);
    assertThat(twilio.sent).isEmpty();
  }
}
