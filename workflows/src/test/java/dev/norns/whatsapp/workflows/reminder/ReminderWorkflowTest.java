package dev.norns.whatsapp.workflows.reminder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.norns.whatsapp.workflows.TaskQueues;
import dev.norns.whatsapp.workflows.WorkflowIds;
import dev.norns.whatsapp.workflows.model.Channel;
import dev.norns.whatsapp.workflows.model.DeliveryStatus;
import dev.norns.whatsapp.workflows.model.DeliveryUpdate;
import dev.norns.whatsapp.workflows.model.ReminderInput;
import dev.norns.whatsapp.workflows.model.ReminderState;
import dev.norns.whatsapp.workflows.model.ReminderStatus;
import dev.norns.whatsapp.workflows.model.SendOutcome;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.client.WorkflowUpdateException;
import io.temporal.testing.TestWorkflowEnvironment;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ReminderWorkflowTest {
  private TestWorkflowEnvironment env;
  private final FakeBookkeeping bookkeeping = new FakeBookkeeping();
  private final FakeTwilio twilio = new FakeTwilio();
  private ReminderWorkflow reminder;
  private ReminderInput.Nudge nudge;

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

  private void schedule(Duration dueIn) {
    reminder = env.getWorkflowClient().newWorkflowStub(ReminderWorkflow.class, WorkflowOptions.newBuilder()
        .setWorkflowId(WorkflowIds.reminder("r1"))
        .setTaskQueue(TaskQueues.REMINDERS)
        .build());
    WorkflowClient.start(reminder::run, new ReminderInput("r1", "u1", "task_reminder",
        Map.of("task_name", "Ship it", "due_time", "5pm"), null, now().plus(dueIn),
        Duration.ofHours(1), Duration.ofHours(2), nudge, null, null, null, null));
  }

  private ReminderState result() {
    return WorkflowStub.fromTyped(reminder).getResult(ReminderState.class);
  }

  private void callback(String sid, DeliveryStatus status) {
    reminder.deliveryStatus(new DeliveryUpdate(sid, status, null, null));
  }

  @Test
  void givenReminderDueInThreeDays_itSendsNothingEarly_andSendsOnTime() {
    schedule(Duration.ofDays(3));
    env.sleep(Duration.ofDays(3).minusMinutes(1));
    assertThat(twilio.sent).isEmpty();
    assertThat(reminder.getState().status()).isEqualTo(ReminderStatus.SCHEDULED);

    env.sleep(Duration.ofMinutes(2));
    assertThat(twilio.sent).hasSize(1);
    assertThat(reminder.getState().status()).isEqualTo(ReminderStatus.SENT);
    assertThat(reminder.getState().sentAt()).isBetween(now().minusSeconds(121), now());
  }

  @Test
  void givenScheduledReminder_whenCancelled_itEndsCancelledWithoutSending() {
    schedule(Duration.ofHours(5));
    env.sleep(Duration.ofHours(1));
    assertThat(reminder.cancel().status()).isEqualTo(ReminderStatus.CANCELLED);
    assertThat(result().status()).isEqualTo(ReminderStatus.CANCELLED);
    env.sleep(Duration.ofHours(5));
    assertThat(twilio.sent).isEmpty();
    assertThat(bookkeeping.last().status()).isEqualTo(ReminderStatus.CANCELLED);
  }

  @Test
  void givenReminder_whenRescheduledEarlier_itSendsAtTheNewTime() {
    schedule(Duration.ofDays(2));
    reminder.reschedule(now().plus(Duration.ofHours(1)));
    env.sleep(Duration.ofMinutes(59));
    assertThat(twilio.sent).isEmpty();
    env.sleep(Duration.ofMinutes(2));
    assertThat(twilio.sent).hasSize(1);
    assertThat(bookkeeping.recorded).anyMatch(s -> s.status() == ReminderStatus.SCHEDULED
        && s.dueAt().isBefore(now()));
  }

  @Test
  void givenReminder_whenRescheduledLater_itDoesNotSendAtTheOldTime() {
    schedule(Duration.ofHours(1));
    reminder.reschedule(now().plus(Duration.ofHours(10)));
    env.sleep(Duration.ofHours(2));
    assertThat(twilio.sent).isEmpty();
    assertThat(reminder.getState().dueAt()).isAfter(now().plus(Duration.ofHours(7)));
    env.sleep(Duration.ofHours(9));
    assertThat(twilio.sent).hasSize(1);
  }

  @Test
  void givenOpenSessionWindow_itSendsFreeform() {
    twilio.windowOpen = true;
    schedule(Duration.ofMinutes(1));
    env.sleep(Duration.ofMinutes(2));
    assertThat(twilio.sent).singleElement().satisfies(m -> {
      assertThat(m.channel()).isEqualTo(Channel.FREEFORM);
      assertThat(m.to()).isEqualTo(FakeTwilio.PHONE);
      assertThat(m.variables()).containsEntry("task_name", "Ship it");
    });
    assertThat(reminder.getState().channel()).isEqualTo(Channel.FREEFORM);
    assertThat(reminder.getState().channelReason()).contains("window open");
  }

  @Test
  void givenClosedSessionWindow_itSendsTheTemplate() {
    schedule(Duration.ofMinutes(1));
    env.sleep(Duration.ofMinutes(2));
    assertThat(twilio.sent).singleElement().satisfies(m -> assertThat(m.channel()).isEqualTo(Channel.TEMPLATE));
    assertThat(reminder.getState().channelReason()).contains("no session window");
  }

  @Test
  void givenWindowClosesBeforeTheSend_when63016_itFallsBackToTheTemplateOnce() {
    twilio.windowOpen = true;
    twilio.thenOnly(m -> SendOutcome.refused(SendOutcome.Result.OUTSIDE_WINDOW, "63016", "outside window"))
        .then(m -> SendOutcome.accepted("SMfallback", DeliveryStatus.QUEUED));
    schedule(Duration.ofMinutes(1));
    env.sleep(Duration.ofMinutes(2));
    assertThat(twilio.sent).extracting(m -> m.channel()).containsExactly(Channel.FREEFORM, Channel.TEMPLATE);
    assertThat(twilio.sent).extracting(m -> m.attemptKey()).doesNotHaveDuplicates();
    ReminderState state = reminder.getState();
    assertThat(state.status()).isEqualTo(ReminderStatus.SENT);
    assertThat(state.messageSid()).isEqualTo("SMfallback");
    assertThat(state.channelReason()).contains("63016");
    assertThat(state.attempts()).isEqualTo(2);
  }

  @Test
  void givenFreeformAcceptedButFailedLaterWith63016_itFallsBackToTheTemplateOnce() {
    twilio.windowOpen = true;
    twilio.thenOnly(m -> SendOutcome.accepted("SMfree", DeliveryStatus.QUEUED))
        .then(m -> SendOutcome.accepted("SMtemplate", DeliveryStatus.QUEUED));
    schedule(Duration.ofMinutes(1));
    env.sleep(Duration.ofMinutes(2));
    reminder.deliveryStatus(new DeliveryUpdate("SMfree", DeliveryStatus.FAILED, "63016", "outside the window"));
    env.sleep(Duration.ofSeconds(5));
    assertThat(twilio.sent).extracting(m -> m.channel()).containsExactly(Channel.FREEFORM, Channel.TEMPLATE);
    assertThat(reminder.getState().messageSid()).isEqualTo("SMtemplate");
    assertThat(reminder.getState().status()).isEqualTo(ReminderStatus.SENT);
    callback("SMtemplate", DeliveryStatus.READ);
    assertThat(result().status()).isEqualTo(ReminderStatus.READ);
  }

  @Test
  void givenTemplateFailsWith63016_itDoesNotLoop() {
    twilio.thenOnly(m -> SendOutcome.refused(SendOutcome.Result.OUTSIDE_WINDOW, "63016", "outside window"));
    schedule(Duration.ofMinutes(1));
    assertThat(result().status()).isEqualTo(ReminderStatus.FAILED);
    assertThat(twilio.sent).hasSize(1);
  }

  @Test
  void givenPermanentTwilioError_itFailsWithoutRetrying() {
    twilio.thenOnly(m -> SendOutcome.refused(SendOutcome.Result.REJECTED, "63003", "not a WhatsApp number"));
    schedule(Duration.ofMinutes(1));
    ReminderState state = result();
    assertThat(state.status()).isEqualTo(ReminderStatus.FAILED);
    assertThat(state.lastErrorCode()).isEqualTo("63003");
    assertThat(state.lastError()).contains("not a WhatsApp number");
    assertThat(twilio.sent).hasSize(1);
  }

  @Test
  void givenTransientTwilioErrors_itRetriesWithBackoffAndThenSends() {
    twilio.thenOnly(FakeTwilio.transientFailure()).then(FakeTwilio.transientFailure())
        .then(m -> SendOutcome.accepted("SMok", DeliveryStatus.QUEUED));
    schedule(Duration.ofMinutes(1));
    env.sleep(Duration.ofMinutes(5));
    assertThat(twilio.sent).hasSize(3);
    assertThat(reminder.getState().messageSid()).isEqualTo("SMok");
  }

  @Test
  void givenTwilioDownForGood_itStopsRetryingAndFailsWithTheLastError() {
    twilio.thenOnly(FakeTwilio.transientFailure());
    schedule(Duration.ofMinutes(1));
    ReminderState state = result();
    assertThat(state.status()).isEqualTo(ReminderStatus.FAILED);
    assertThat(state.lastErrorCode()).isEqualTo("503");
    assertThat(twilio.sent).hasSize(10);
  }

  @Test
  void givenUserWithoutPhone_itFailsWithoutSending() {
    twilio.userGone = true;
    schedule(Duration.ofMinutes(1));
    assertThat(result().status()).isEqualTo(ReminderStatus.FAILED);
    assertThat(bookkeeping.last().lastErrorCode()).isEqualTo("USER_UNREACHABLE");
    assertThat(twilio.sent).isEmpty();
  }

  @Test
  void givenCallbacksDuplicatedAndOutOfOrder_itEndsRead() {
    twilio.thenOnly(m -> SendOutcome.accepted("SMx", DeliveryStatus.QUEUED));
    schedule(Duration.ofMinutes(1));
    env.sleep(Duration.ofMinutes(2));
    callback("SMx", DeliveryStatus.DELIVERED);
    callback("SMx", DeliveryStatus.DELIVERED);
    callback("SMother", DeliveryStatus.FAILED);
    callback("SMx", DeliveryStatus.SENT);
    assertThat(reminder.getState().status()).isEqualTo(ReminderStatus.DELIVERED);
    callback("SMx", DeliveryStatus.READ);
    callback("SMx", DeliveryStatus.SENT);
    assertThat(result().status()).isEqualTo(ReminderStatus.READ);
    assertThat(bookkeeping.last().status()).isEqualTo(ReminderStatus.READ);
  }

  @Test
  void givenFailedCallback_itEndsFailedWithTwiliosCode() {
    twilio.thenOnly(m -> SendOutcome.accepted("SMx", DeliveryStatus.QUEUED));
    schedule(Duration.ofMinutes(1));
    env.sleep(Duration.ofMinutes(2));
    reminder.deliveryStatus(new DeliveryUpdate("SMx", DeliveryStatus.UNDELIVERED, "63024", "invalid recipient"));
    callback("SMx", DeliveryStatus.DELIVERED);
    ReminderState state = result();
    assertThat(state.status()).isEqualTo(ReminderStatus.FAILED);
    assertThat(state.lastErrorCode()).isEqualTo("63024");
  }

  @Test
  void givenNoCallback_itEndsUnconfirmedAfterTheConfirmTimeout() {
    schedule(Duration.ofMinutes(1));
    env.sleep(Duration.ofMinutes(59));
    assertThat(reminder.getState().status()).isEqualTo(ReminderStatus.SENT);
    ReminderState state = result();
    assertThat(state.status()).isEqualTo(ReminderStatus.UNCONFIRMED);
    assertThat(state.messageSid()).isNotNull();
  }

  @Test
  void givenNoCallbackButTwilioSaysDelivered_itAsksTwilioAndEndsDelivered_notUnconfirmed() {
    twilio.lookupAnswer = new DeliveryUpdate("?", DeliveryStatus.DELIVERED, null, null);
    schedule(Duration.ofMinutes(1));
    env.sleep(Duration.ofMinutes(62));
    assertThat(twilio.lookedUp).hasSize(1);
    assertThat(reminder.getState().status()).isEqualTo(ReminderStatus.DELIVERED);
    assertThat(result().status()).isEqualTo(ReminderStatus.DELIVERED);
  }

  @Test
  void givenDeliveredButNeverRead_itEndsDeliveredAfterTheReadTimeout() {
    twilio.thenOnly(m -> SendOutcome.accepted("SMx", DeliveryStatus.QUEUED));
    schedule(Duration.ofMinutes(1));
    env.sleep(Duration.ofMinutes(2));
    callback("SMx", DeliveryStatus.DELIVERED);
    assertThat(result().status()).isEqualTo(ReminderStatus.DELIVERED);
  }

  @Test
  void givenDueTimeInThePast_itSendsAtOnce() {
    schedule(Duration.ofMinutes(-10));
    env.sleep(Duration.ofSeconds(1));
    assertThat(twilio.sent).hasSize(1);
  }

  @Test
  void givenSentReminder_rescheduleIsRefusedWithTheReason_andNothingChanges() {
    twilio.thenOnly(m -> SendOutcome.accepted("SMx", DeliveryStatus.QUEUED));
    schedule(Duration.ofMinutes(1));
    env.sleep(Duration.ofMinutes(2));
    assertThatThrownBy(() -> reminder.reschedule(now().plus(Duration.ofDays(1))))
        .isInstanceOf(WorkflowUpdateException.class).rootCause().hasMessageContaining("already sent");
    callback("SMx", DeliveryStatus.READ);
    assertThat(result().status()).isEqualTo(ReminderStatus.READ);
    assertThat(twilio.sent).hasSize(1);
  }
}
