package dev.norns.whatsapp.workflows.reminder;

import static org.assertj.core.api.Assertions.assertThat;

import dev.norns.whatsapp.workflows.TaskQueues;
import dev.norns.whatsapp.workflows.WorkflowIds;
import dev.norns.whatsapp.workflows.model.DeliveryStatus;
import dev.norns.whatsapp.workflows.model.DeliveryUpdate;
import dev.norns.whatsapp.workflows.model.QuietHours;
import dev.norns.whatsapp.workflows.model.ReminderInput;
import dev.norns.whatsapp.workflows.model.ReminderStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Quiet hours as the user lives them: nothing arrives inside them, whether due, snoozed or nudged into them. */
class ReminderQuietHoursTest {
  private static final DateTimeFormatter HH_MM = DateTimeFormatter.ofPattern("HH:mm");

  private final FakeBookkeeping bookkeeping = new FakeBookkeeping();
  private final FakeTwilio twilio = new FakeTwilio();
  private TestWorkflowEnvironment env;
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

  /** Quiet hours in UTC from {@code from} to {@code to} after now (whole minutes). */
  private QuietHours quiet(Duration from, Duration to) {
    LocalTime local = LocalTime.ofInstant(now(), ZoneOffset.UTC);
    return new QuietHours("UTC", HH_MM.format(local.plus(from)), HH_MM.format(local.plus(to)));
  }

  private void schedule(Duration dueIn, ReminderInput.Nudge nudge, QuietHours quiet) {
    reminder = env.getWorkflowClient().newWorkflowStub(ReminderWorkflow.class, WorkflowOptions.newBuilder()
        .setWorkflowId(WorkflowIds.reminder("q1")).setTaskQueue(TaskQueues.REMINDERS).build());
    WorkflowClient.start(reminder::run, new ReminderInput("q1", "u1", "task_reminder",
        Map.of("task_name", "Ship it", "due_time", "5pm"), null, now().plus(dueIn), Duration.ofHours(1),
        Duration.ofHours(24), nudge, null, null, null, quiet));
  }

  @Test
  void givenADueTimeInsideQuietHours_itIsDeferredToTheirEnd_andSaysWhy() {
    QuietHours quiet = quiet(Duration.ofMinutes(-60), Duration.ofMinutes(120));
    schedule(Duration.ofMinutes(10), null, quiet);
    env.sleep(Duration.ofMinutes(30));

    assertThat(twilio.sent).isEmpty();
    Instant end = reminder.getState().deferredUntil();
    assertThat(end).isNotNull();
    assertThat(Duration.between(now(), end)).isBetween(Duration.ofMinutes(88), Duration.ofMinutes(91));
    assertThat(reminder.getState().deferredReason()).isEqualTo(quiet.describe());

    env.sleep(Duration.between(now(), end).plusSeconds(5));
    assertThat(twilio.sent).hasSize(1);
  }

  @Test
  void givenADueTimeOutsideQuietHours_itIsSentOnTime() {
    schedule(Duration.ofMinutes(10), null, quiet(Duration.ofHours(3), Duration.ofHours(5)));
    env.sleep(Duration.ofMinutes(11));
    assertThat(twilio.sent).hasSize(1);
    assertThat(reminder.getState().deferredUntil()).isNull();
  }

  @Test
  void givenASnoozeIntoQuietHours_theNextRoundWaitsForTheirEnd() {
    QuietHours quiet = quiet(Duration.ofMinutes(60), Duration.ofMinutes(180));
    schedule(Duration.ofMinutes(1), null, quiet);
    env.sleep(Duration.ofMinutes(2));
    assertThat(twilio.sent).hasSize(1);
    reminder.deliveryStatus(new DeliveryUpdate(reminder.getState().messageSid(), DeliveryStatus.READ, null, null));

    reminder.snooze(now().plus(Duration.ofMinutes(90)), now());
    assertThat(reminder.getState().status()).isEqualTo(ReminderStatus.SNOOZED);
    assertThat(reminder.getState().deferredUntil()).isNotNull();
    env.sleep(Duration.ofMinutes(100));
    assertThat(twilio.sent).as("not inside quiet hours").hasSize(1);
    env.sleep(Duration.ofMinutes(85));
    assertThat(twilio.sent).hasSize(2);
  }

  @Test
  void givenANudgeFallingInQuietHours_itWaitsForTheirEnd() {
    QuietHours quiet = quiet(Duration.ofMinutes(20), Duration.ofMinutes(90));
    schedule(Duration.ofMinutes(1), new ReminderInput.Nudge(Duration.ofMinutes(30), 1), quiet);
    env.sleep(Duration.ofMinutes(2));
    reminder.deliveryStatus(new DeliveryUpdate(reminder.getState().messageSid(), DeliveryStatus.DELIVERED, null,
        null));
    env.sleep(Duration.ofMinutes(60));
    assertThat(twilio.sent).as("the nudge due at +31 min waits").hasSize(1);
    env.sleep(Duration.ofMinutes(35));
    assertThat(twilio.sent).hasSize(2);
  }
}
