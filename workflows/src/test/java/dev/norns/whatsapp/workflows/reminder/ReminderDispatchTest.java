package dev.norns.whatsapp.workflows.reminder;

import static org.assertj.core.api.Assertions.assertThat;

import dev.norns.whatsapp.workflows.TaskQueues;
import dev.norns.whatsapp.workflows.WorkflowIds;
import dev.norns.whatsapp.workflows.model.DeliveryStatus;
import dev.norns.whatsapp.workflows.model.DeliveryUpdate;
import dev.norns.whatsapp.workflows.model.DispatchReport;
import dev.norns.whatsapp.workflows.model.Phase;
import dev.norns.whatsapp.workflows.model.ReminderInput;
import dev.norns.whatsapp.workflows.model.ReminderState;
import dev.norns.whatsapp.workflows.model.ReminderStatus;
import dev.norns.whatsapp.workflows.model.SendOutcome;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Dispatch ahead: the reminder queues its send for the workers' dispatcher before the due time and takes the
 * dispatcher's report as the send's outcome; commands while it is queued take it back first; with no report by the
 * takeover time, or a send handed back, the workflow sends itself under the same attempt key.
 */
class ReminderDispatchTest {
  private static final ReminderInput.Dispatch AHEAD =
      new ReminderInput.Dispatch(Duration.ofMinutes(10), Duration.ofMinutes(15));

  private TestWorkflowEnvironment env;
  private final FakeBookkeeping bookkeeping = new FakeBookkeeping();
  private final FakeTwilio twilio = new FakeTwilio();
  private ReminderWorkflow reminder;
  private Instant due;

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
    due = now().plus(dueIn);
    reminder = env.getWorkflowClient().newWorkflowStub(ReminderWorkflow.class, WorkflowOptions.newBuilder()
        .setWorkflowId(WorkflowIds.reminder("d1")).setTaskQueue(TaskQueues.REMINDERS).build());
    WorkflowClient.start(reminder::run, new ReminderInput("d1", "u1", "task_reminder",
        Map.of("task_name", "Ship it", "due_time", "5pm"), null, due, Duration.ofHours(1), Duration.ofHours(24),
        null, null, null, AHEAD, null));
  }

  private static SendOutcome accepted(String sid, Instant at) {
    return SendOutcome.accepted(sid, DeliveryStatus.QUEUED).at(at);
  }

  @Test
  void theSendIsQueuedTenMinutesAhead_andTheReportIsItsOutcome_withNoSendActivity() {
    schedule(Duration.ofHours(1));
    env.sleep(Duration.ofMinutes(49));
    assertThat(bookkeeping.queued).isEmpty();
    env.sleep(Duration.ofMinutes(2));
    assertThat(bookkeeping.queued).containsOnlyKeys("send-1");
    assertThat(bookkeeping.queuedDue).containsExactly(due);
    assertThat(bookkeeping.queued.get("send-1").variables()).containsEntry("task_name", "Ship it");

    env.sleep(Duration.ofMinutes(10));
    reminder.dispatched(DispatchReport.sent("send-1", accepted("SM42", due.plusSeconds(2)),
        new DeliveryUpdate("SM42", DeliveryStatus.READ, null, null)));
    env.sleep(Duration.ofSeconds(1));

    ReminderState state = reminder.getState();
    assertThat(state.status()).isEqualTo(ReminderStatus.READ);
    assertThat(state.phase()).isEqualTo(Phase.AWAITING_REPLY);
    assertThat(state.messageSid()).isEqualTo("SM42");
    assertThat(state.sentAt()).isEqualTo(due.plusSeconds(2));
    assertThat(twilio.sent).isEmpty();
    assertThat(bookkeeping.recorded).extracting(ReminderState::status).doesNotContain(ReminderStatus.SENDING);
  }

  @Test
  void aReminderDueSoonerThanTheLeadIsQueuedAtOnce() {
    schedule(Duration.ofMinutes(3));
    env.sleep(Duration.ofSeconds(1));
    assertThat(bookkeeping.queued).containsOnlyKeys("send-1");
  }

  @Test
  void cancelWhileQueued_takesTheSendBack_andNothingIsSent() {
    schedule(Duration.ofMinutes(5));
    env.sleep(Duration.ofMinutes(1));
    assertThat(bookkeeping.queued).containsOnlyKeys("send-1");

    assertThat(reminder.cancel().status()).isEqualTo(ReminderStatus.CANCELLED);
    assertThat(bookkeeping.queued).isEmpty();
    env.sleep(Duration.ofHours(1));
    assertThat(twilio.sent).isEmpty();
  }

  @Test
  void cancelOnceTheDispatcherHasIt_isRefusedAsBeingSent_andTheReportStillLands() {
    schedule(Duration.ofMinutes(5));
    env.sleep(Duration.ofMinutes(5));
    bookkeeping.taken.add("send-1");

    assertThat(ReminderTestEnvironment.refusal(() -> reminder.cancel())).contains("being sent right now");
    reminder.dispatched(DispatchReport.sent("send-1", accepted("SM7", due), null));
    env.sleep(Duration.ofSeconds(1));
    assertThat(reminder.getState().status()).isEqualTo(ReminderStatus.SENT);
    assertThat(reminder.getState().messageSid()).isEqualTo("SM7");
    assertThat(twilio.sent).isEmpty();
  }

  @Test
  void rescheduleWhileQueued_takesItBack_andQueuesItAgainAheadOfTheNewTime() {
    schedule(Duration.ofMinutes(5));
    env.sleep(Duration.ofMinutes(1));
    Instant later = due.plus(Duration.ofHours(2));
    assertThat(reminder.reschedule(later).dueAt()).isEqualTo(later);
    assertThat(bookkeeping.queued).isEmpty();

    env.sleep(Duration.ofMinutes(100));
    assertThat(bookkeeping.queued).isEmpty();
    env.sleep(Duration.ofMinutes(20));
    assertThat(bookkeeping.queued).containsOnlyKeys("send-1");
    assertThat(bookkeeping.queuedDue).containsExactly(due, later);
  }

  @Test
  void noReportByTheTakeoverTime_theWorkflowSendsItself_underTheSameKey() {
    schedule(Duration.ofMinutes(5));
    env.sleep(Duration.ofMinutes(5 + 14));
    assertThat(twilio.sent).isEmpty();
    env.sleep(Duration.ofMinutes(2));

    assertThat(twilio.sent).singleElement().satisfies(m -> assertThat(m.attemptKey()).isEqualTo("send-1"));
    assertThat(reminder.getState().status()).isEqualTo(ReminderStatus.SENT);
  }

  @Test
  void aSendHandedBack_isSentByTheActivityAtOnce_underTheSameKey() {
    schedule(Duration.ofMinutes(5));
    env.sleep(Duration.ofMinutes(5));
    reminder.dispatched(DispatchReport.handBack("send-1", "Twilio failed transiently (503)"));
    env.sleep(Duration.ofSeconds(5));

    assertThat(twilio.sent).singleElement().satisfies(m -> assertThat(m.attemptKey()).isEqualTo("send-1"));
    assertThat(reminder.getState().status()).isEqualTo(ReminderStatus.SENT);
  }

  @Test
  void aRefusalReported_endsItFailed_withTwiliosReason() {
    schedule(Duration.ofMinutes(5));
    env.sleep(Duration.ofMinutes(5));
    reminder.dispatched(DispatchReport.sent("send-1",
        SendOutcome.refused(SendOutcome.Result.REJECTED, "21211", "not a valid phone number"), null));
    env.sleep(Duration.ofSeconds(1));

    ReminderState state = reminder.getState();
    assertThat(state.status()).isEqualTo(ReminderStatus.FAILED);
    assertThat(state.lastErrorCode()).isEqualTo("21211");
    assertThat(twilio.sent).isEmpty();
  }

  @Test
  void aSendTheApiQueued_andTheDispatcherSentBeforeTheWorkflowRan_isAdoptedAsItsOwn() {
    schedule(Duration.ofMinutes(2));
    reminder.dispatched(DispatchReport.sent("send-1", accepted("SM5", due), null));
    env.sleep(Duration.ofSeconds(1));

    assertThat(reminder.getState().status()).isEqualTo(ReminderStatus.SENT);
    assertThat(reminder.getState().messageSid()).isEqualTo("SM5");
    env.sleep(Duration.ofMinutes(30));
    assertThat(twilio.sent).isEmpty();
  }

  @Test
  void aCancelAtOnce_whileTheApiQueuedSendIsWithTheDispatcher_isRefusedAsBeingSent() {
    bookkeeping.taken.add("send-1");
    schedule(Duration.ofMinutes(2));

    assertThat(ReminderTestEnvironment.refusal(() -> reminder.cancel())).contains("being sent right now");
    reminder.dispatched(DispatchReport.sent("send-1", accepted("SM6", due), null));
    env.sleep(Duration.ofSeconds(1));
    assertThat(reminder.getState().messageSid()).isEqualTo("SM6");
    assertThat(twilio.sent).isEmpty();
  }
}
