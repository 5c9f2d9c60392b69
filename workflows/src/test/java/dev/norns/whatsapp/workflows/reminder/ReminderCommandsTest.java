package dev.norns.whatsapp.workflows.reminder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.norns.whatsapp.workflows.TaskQueues;
import dev.norns.whatsapp.workflows.WorkflowIds;
import dev.norns.whatsapp.workflows.model.DeliveryStatus;
import dev.norns.whatsapp.workflows.model.DeliveryUpdate;
import dev.norns.whatsapp.workflows.model.Phase;
import dev.norns.whatsapp.workflows.model.ReminderEdit;
import dev.norns.whatsapp.workflows.model.ReminderInput;
import dev.norns.whatsapp.workflows.model.ReminderState;
import dev.norns.whatsapp.workflows.model.ReminderStatus;
import dev.norns.whatsapp.workflows.model.SendOutcome;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.testing.TestWorkflowEnvironment;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every command in every phase: it does what it said and nothing more, or is refused with the reason. Includes the
 * defects the phase-machine design fixed (D1 done/cancel while snoozed re-sent it; D2 a second snooze did not move the
 * first; D3 a restarted reminder re-ran round 1; D5 a failed nudge overwrote READ; D6 waiting for a send slot spent
 * Twilio's retry budget; D8 "final" while the workflow ran; replies judged as of their arrival).
 */
class ReminderCommandsTest {
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

  private void schedule(Duration dueIn, ReminderInput.Nudge nudge, ReminderState resume) {
    reminder = env.getWorkflowClient().newWorkflowStub(ReminderWorkflow.class, WorkflowOptions.newBuilder()
        .setWorkflowId(WorkflowIds.reminder("c1")).setTaskQueue(TaskQueues.REMINDERS).build());
    WorkflowClient.start(reminder::run, new ReminderInput("c1", "u1", "task_reminder",
        Map.of("task_name", "Ship it", "due_time", "5pm"), null, now().plus(dueIn), Duration.ofHours(1),
        Duration.ofHours(24), nudge, null, resume, null, null));
  }

  /** Sent at +1 min, then read. */
  private void sentAndRead(ReminderInput.Nudge nudge) {
    schedule(Duration.ofMinutes(1), nudge, null);
    env.sleep(Duration.ofMinutes(2));
    reminder.deliveryStatus(new DeliveryUpdate(twilio.sent.size() == 1 && reminder.getState().messageSid() != null ? reminder.getState().messageSid() : "SM1", DeliveryStatus.READ, null, null));
    env.sleep(Duration.ofSeconds(1));
  }

  private ReminderState result() {
    return WorkflowStub.fromTyped(reminder).getResult(ReminderState.class);
  }

  @Test
  void givenScheduled_cancelEndsItCancelled_andNothingIsSent() {
    schedule(Duration.ofHours(2), null, null);
    ReminderState state = reminder.cancel();
    assertThat(state.status()).isEqualTo(ReminderStatus.CANCELLED);
    assertThat(state.isFinal()).isTrue();
    env.sleep(Duration.ofHours(3));
    assertThat(twilio.sent).isEmpty();
  }

  @Test
  void givenScheduled_repliesAreRefusedAsNotSentYet() {
    schedule(Duration.ofHours(2), null, null);
    assertThat(ReminderTestEnvironment.refusal(() -> reminder.acknowledge(now()))).contains("not been sent yet");
    assertThat(ReminderTestEnvironment.refusal(() -> reminder.snooze(now().plusSeconds(600), now()))).contains("not been sent yet");
    assertThat(ReminderTestEnvironment.refusal(() -> reminder.dismiss(now()))).contains("not been sent yet");
    assertThat(reminder.getState().status()).isEqualTo(ReminderStatus.SCHEDULED);
  }

  @Test
  void givenScheduled_editChangesWhatIsSent() {
    schedule(Duration.ofHours(2), null, null);
    reminder.edit(new ReminderEdit(null, Map.of("task_name", "Ship it today", "due_time", "4pm"), "Ship it now!"));
    env.sleep(Duration.ofHours(3));
    assertThat(twilio.sent).singleElement().satisfies(m -> {
      assertThat(m.variables()).containsEntry("task_name", "Ship it today");
      assertThat(m.body()).isEqualTo("Ship it now!");
    });
  }

  @Test
  void givenStartedAndRescheduledInItsFirstTask_theNewTimeHolds() {
    schedule(Duration.ofHours(2), null, null);
    reminder.reschedule(now().plus(Duration.ofMinutes(5)));
    env.sleep(Duration.ofMinutes(6));
    assertThat(twilio.sent).hasSize(1);
  }

  @Test
  void givenSent_cancelStopsTheNudges() {
    sentAndRead(new ReminderInput.Nudge(Duration.ofMinutes(30), 3));
    assertThat(reminder.cancel().status()).isEqualTo(ReminderStatus.CANCELLED);
    env.sleep(Duration.ofHours(3));
    assertThat(twilio.sent).hasSize(1);
  }

  @Test
  void givenSent_editAndRescheduleAreRefusedWithTheReason() {
    sentAndRead(null);
    assertThat(ReminderTestEnvironment.refusal(() -> reminder.edit(new ReminderEdit(null, null, "x")))).contains("already sent");
    assertThat(ReminderTestEnvironment.refusal(() -> reminder.reschedule(now().plusSeconds(60)))).contains("already sent");
    assertThat(reminder.getState().phase()).isEqualTo(Phase.AWAITING_REPLY);
  }

  @Test
  void givenFollowingDelivery_doneBeforeTheReadReceiptAcknowledgesIt() {
    schedule(Duration.ofMinutes(1), null, null);
    env.sleep(Duration.ofMinutes(2));
    assertThat(reminder.getState().phase()).isEqualTo(Phase.FOLLOWING);
    assertThat(reminder.acknowledge(now()).status()).isEqualTo(ReminderStatus.ACKNOWLEDGED);
    assertThat(result().status()).isEqualTo(ReminderStatus.ACKNOWLEDGED);
  }

  @Test
  void givenSnoozed_doneEndsItAcknowledged_andItIsNotSentAgain_D1() {
    sentAndRead(null);
    reminder.snooze(now().plus(Duration.ofHours(1)), now());
    assertThat(reminder.getState().status()).isEqualTo(ReminderStatus.SNOOZED);
    assertThat(reminder.acknowledge(now()).status()).isEqualTo(ReminderStatus.ACKNOWLEDGED);
    env.sleep(Duration.ofHours(2));
    assertThat(twilio.sent).hasSize(1);
    assertThat(result().status()).isEqualTo(ReminderStatus.ACKNOWLEDGED);
  }

  @Test
  void givenSnoozed_cancelEndsItCancelled_andItIsNotSentAgain_D1() {
    sentAndRead(null);
    reminder.snooze(now().plus(Duration.ofHours(1)), now());
    assertThat(reminder.dismiss(now()).status()).isEqualTo(ReminderStatus.CANCELLED);
    env.sleep(Duration.ofHours(2));
    assertThat(twilio.sent).hasSize(1);
  }

  @Test
  void givenSnoozed_aSecondSnoozeMovesTheFirst_D2() {
    sentAndRead(null);
    reminder.snooze(now().plus(Duration.ofHours(1)), now());
    reminder.snooze(now().plus(Duration.ofHours(3)), now());
    env.sleep(Duration.ofHours(2));
    assertThat(twilio.sent).hasSize(1);
    env.sleep(Duration.ofHours(1).plusMinutes(1));
    assertThat(twilio.sent).extracting(m -> m.attemptKey()).containsExactly("send-1", "r2-send-1");
    assertThat(reminder.getState().round()).isEqualTo(2);
  }

  @Test
  void givenAReplyWrittenBeforeTheReminderWasSent_itIsNotAnAcknowledgementOfIt() {
    Instant before = now();
    sentAndRead(null);
    assertThat(ReminderTestEnvironment.refusal(() -> reminder.acknowledge(before))).contains("written before the reminder was sent");
    assertThat(reminder.getState().phase()).isEqualTo(Phase.AWAITING_REPLY);
  }

  @Test
  void givenFinished_everyCommandIsRefusedSayingItsState() {
    schedule(Duration.ofHours(2), null, null);
    reminder.cancel();
    result();
    assertThatThrownBy(() -> reminder.cancel()).isInstanceOf(Exception.class);
    assertThat(bookkeeping.last().isFinal()).isTrue();
  }

  @Test
  void givenConcurrentCancelAndReschedule_oneWinsAndTheOtherIsRefused() throws Exception {
    schedule(Duration.ofHours(2), null, null);
    CountDownLatch both = new CountDownLatch(2);
    String[] outcomes = new String[2];
    Thread cancel = new Thread(() -> {
      outcomes[0] = attempt(() -> reminder.cancel().status().name());
      both.countDown();
    });
    Thread reschedule = new Thread(() -> {
      outcomes[1] = attempt(() -> reminder.reschedule(now().plus(Duration.ofHours(5))).status().name());
      both.countDown();
    });
    cancel.start();
    reschedule.start();
    assertThat(both.await(30, TimeUnit.SECONDS)).isTrue();
    assertThat(result().status()).isEqualTo(ReminderStatus.CANCELLED);
    assertThat(outcomes[0]).isEqualTo("CANCELLED");
    assertThat(outcomes[1]).satisfiesAnyOf(o -> assertThat(o).isEqualTo("SCHEDULED"),
        o -> assertThat(o).startsWith("refused"));
  }

  private static String attempt(java.util.function.Supplier<String> command) {
    try {
      return command.get();
    } catch (RuntimeException e) {
      return "refused";
    }
  }

  @Test
  void givenAReadReminder_aFailedNudgeLeavesItRead_D5() {
    twilio.thenOnly(m -> m.attemptKey().equals("send-1") ? SendOutcome.accepted("SM0", DeliveryStatus.QUEUED)
        : SendOutcome.refused(SendOutcome.Result.REJECTED, "63024", "not a WhatsApp user any more"));
    sentAndRead(new ReminderInput.Nudge(Duration.ofMinutes(30), 1));
    env.sleep(Duration.ofMinutes(31));
    assertThat(twilio.sent).hasSize(2);
    assertThat(reminder.getState().status()).isEqualTo(ReminderStatus.READ);
    assertThat(result().status()).isEqualTo(ReminderStatus.READ);
  }

  @Test
  void givenNoSendSlot_itWaitsAndSends_withoutSpendingTwiliosRetries_D6() {
    twilio.thenOnly(m -> SendOutcome.refused(SendOutcome.Result.NO_SLOT, "NO_SLOT", "cap full"));
    for (int i = 0; i < 14; i++) {
      twilio.then(m -> SendOutcome.refused(SendOutcome.Result.NO_SLOT, "NO_SLOT", "cap full"));
    }
    twilio.then(m -> SendOutcome.accepted("SMslot", DeliveryStatus.QUEUED));
    schedule(Duration.ofMinutes(1), null, null);
    env.sleep(Duration.ofMinutes(2));
    assertThat(reminder.getState().status()).isEqualTo(ReminderStatus.SENT);
    assertThat(reminder.getState().messageSid()).isEqualTo("SMslot");
    assertThat(reminder.getState().attempts()).isEqualTo(1);
  }

  @Test
  void givenThePostgresRowCannotBeWrittenForAWhile_theReminderGoesOnAndTheRowCatchesUp() {
    bookkeeping.failures.set(3);
    sentAndRead(null);
    env.sleep(Duration.ofMinutes(10));
    assertThat(reminder.getState().status()).isEqualTo(ReminderStatus.READ);
    assertThat(bookkeeping.last().status()).isEqualTo(ReminderStatus.READ);
    assertThat(result().status()).isEqualTo(ReminderStatus.READ);
  }

  @Test
  void givenSentButStillRunning_itIsNotFinal_D8() {
    sentAndRead(null);
    assertThat(reminder.getState().status()).isEqualTo(ReminderStatus.READ);
    assertThat(reminder.getState().isFinal()).isFalse();
    assertThat(result().isFinal()).isTrue();
  }

  @Test
  void givenAResumedSnoozedReminderInRoundTwo_itSendsRoundTwoOnce_D3() {
    Instant first = now().minus(Duration.ofHours(1));
    ReminderState snoozed = new ReminderState("c1", ReminderStatus.SNOOZED, Phase.SNOOZED,
        now().plus(Duration.ofMinutes(10)), null, null, "SM0", 1, null, null, first, first, 2, 0, null, null);
    schedule(Duration.ofMinutes(10), null, snoozed);
    env.sleep(Duration.ofMinutes(11));
    assertThat(twilio.sent).extracting(m -> m.attemptKey()).containsExactly("r2-send-1");
  }

  @Test
  void givenAResumedReminderAwaitingAReply_itKeepsItsNudgeCount_andDoneStillAcknowledges_D3() {
    Instant sent = now().minus(Duration.ofMinutes(40));
    ReminderState waiting = new ReminderState("c1", ReminderStatus.READ, Phase.AWAITING_REPLY, sent, null, null,
        "SM0", 2, null, null, sent, sent, 1, 1, null, null);
    schedule(Duration.ofMinutes(-40), new ReminderInput.Nudge(Duration.ofMinutes(30), 2), waiting);
    env.sleep(Duration.ofMinutes(25));
    assertThat(twilio.sent).extracting(m -> m.attemptKey()).containsExactly("r1-nudge-2");
    env.sleep(Duration.ofHours(2));
    assertThat(twilio.sent).hasSize(1);
    assertThat(reminder.acknowledge(now()).status()).isEqualTo(ReminderStatus.ACKNOWLEDGED);
  }
}
