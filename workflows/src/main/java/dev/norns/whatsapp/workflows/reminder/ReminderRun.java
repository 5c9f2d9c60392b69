package dev.norns.whatsapp.workflows.reminder;

import dev.norns.whatsapp.workflows.ReminderSearchAttributes;
import dev.norns.whatsapp.workflows.model.DeliveryUpdate;
import dev.norns.whatsapp.workflows.model.DispatchReport;
import dev.norns.whatsapp.workflows.model.OutboundMessage;
import dev.norns.whatsapp.workflows.model.Phase;
import dev.norns.whatsapp.workflows.model.ReminderEdit;
import dev.norns.whatsapp.workflows.model.ReminderInput;
import dev.norns.whatsapp.workflows.model.ReminderState;
import dev.norns.whatsapp.workflows.model.ReminderStatus;
import dev.norns.whatsapp.workflows.model.SendOutcome;
import io.temporal.common.SearchAttributeUpdate;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What every phase of one reminder shares: its state, content, command inbox and delivery tracker, and the two ways
 * it touches the world. Sends are the one real activity; bookkeeping (the PostgreSQL row) is a local activity, so a
 * transition costs no extra round trip to the Temporal server. Deterministic: workflow-thread state only.
 */
final class ReminderRun {
  final ReminderInput input;
  final Inbox inbox = new Inbox();
  final DeliveryTracker delivery = new DeliveryTracker();
  private final ReminderSearchAttributes searchAttributes = new ReminderSearchAttributes();
  private final ReminderActivities bookkeeping =
      Workflow.newLocalActivityStub(ReminderActivities.class, ActivityPolicies.bookkeeping());
  private ReminderState state;
  private ReminderState recorded;
  private String templateName;
  private Map<String, String> variables;
  private String body;
  /** The attempt key of the send queued for the dispatcher, while it is queued (or being sent by it). */
  private String queuedKey;
  private final Map<String, DispatchReport> reports = new HashMap<>();

  ReminderRun(ReminderInput input) {
    this.input = input;
    this.state = input.resume() != null ? input.resume() : ReminderState.scheduled(input.reminderId(), input.dueAt());
    this.templateName = input.templateName();
    this.variables = input.variables();
    this.body = input.body();
    if (input.resume() == null) {
      // A new reminder's row exists as SCHEDULED already: nothing to write until it changes.
      recorded = state;
    }
  }

  /** At the start of run(): what the client set needs no upsert; a resumed reminder shows where it stands. */
  void begin() {
    if (input.resume() == null && input.quietHours() != null) {
      // The API stored the same deferral with the row: nothing to write for it.
      state = deferIfQuiet(state);
      recorded = state;
    }
    if (input.resume() == null
        && Workflow.getTypedSearchAttributes().containsKey(ReminderSearchAttributes.USER_ID)) {
      searchAttributes.startedWith(input.userId(), state);
    } else {
      recorded = null;
      record();
    }
    Workflow.setCurrentDetails(Summaries.details(state, input));
  }

  ReminderState state() {
    return state;
  }

  /**
   * {@code next} deferred to the end of the user's quiet hours when its due time falls inside them (reminders that
   * respect them: {@link ReminderInput#quietHours()} not null). Through a side effect: recorded once, replayed as is.
   */
  ReminderState deferIfQuiet(ReminderState next) {
    if (input.quietHours() == null || next.dueAt() == null) {
      return next;
    }
    Instant release = release(next.dueAt());
    return next.deferred(release.equals(next.dueAt()) ? null : release, input.quietHours().describe());
  }

  /** {@code at}, or the end of the user's quiet hours when {@code at} falls inside them. */
  Instant release(Instant at) {
    if (input.quietHours() == null) {
      return at;
    }
    return Workflow.sideEffect(Instant.class, () -> input.quietHours().release(at));
  }

  Phase phase() {
    return state.phase();
  }

  void set(ReminderState next) {
    state = next;
  }

  /** Moves to {@code status} in {@code phase} and records it. */
  void enter(ReminderStatus status, Phase phase) {
    state = state.with(status, phase);
    record();
  }

  /** Writes the state to PostgreSQL and the search attributes, and says the phase in the UI, when it changed. */
  void record() {
    if (state.equals(recorded)) {
      return;
    }
    try {
      bookkeeping.recordState(state);
    } catch (io.temporal.failure.ActivityFailure failure) {
      // A week of retries failed: the row lags behind (reconcile and the next transition catch it up), the reminder
      // itself goes on. Bookkeeping must never fail the workflow.
      Workflow.getLogger(ReminderRun.class).warn("whatsapp reminder {} state not recorded: {}", state.reminderId(),
          failure.getMessage());
    }
    recorded = state;
    List<SearchAttributeUpdate<?>> changes = searchAttributes.changesTo(input.userId(), state);
    if (!changes.isEmpty()) {
      Workflow.upsertTypedSearchAttributes(changes.toArray(SearchAttributeUpdate<?>[]::new));
    }
    Workflow.setCurrentDetails(Summaries.details(state, input));
  }

  /**
   * One send. A send queued for the dispatcher under this key comes back as its report (waited for until the
   * takeover time); otherwise, or when the dispatcher handed it back, it goes through the rate-limited send queue, the
   * activity summarised for the UI. Waiting for a slot of the sender's cap is not a failure: it never spends Twilio's
   * retry budget. Either way the attempt key makes it one message at most.
   */
  SendOutcome send(String attemptKey, dev.norns.whatsapp.workflows.model.Channel forced, String summary) {
    if (attemptKey.equals(queuedKey)) {
      Instant takeover = state.sendAt().plus(input.dispatch().takeover());
      if (!reports.containsKey(attemptKey)) {
        waitUntil(takeover, "queued: the dispatcher sends it at " + state.sendAt(),
            () -> reports.containsKey(attemptKey), false);
      }
      queuedKey = null;
      DispatchReport report = reports.get(attemptKey);
      if (report != null && report.outcome() != null) {
        return report.outcome();
      }
      Workflow.getLogger(ReminderRun.class).info("whatsapp reminder {} send {} taken over from the dispatcher: {}",
          input.reminderId(), attemptKey, report == null ? "no report by " + takeover : report.handedBack());
    }
    WhatsAppSendActivities twilio = Workflow.newActivityStub(WhatsAppSendActivities.class,
        ActivityPolicies.twilioSend().toBuilder().setSummary(summary).build());
    OutboundMessage message = message(attemptKey, forced);
    SendOutcome outcome = twilio.send(message);
    while (outcome.result() == SendOutcome.Result.NO_SLOT) {
      WorkflowWaits.awaitFor(Duration.ofSeconds(1), "wait for a send slot", () -> false);
      outcome = twilio.send(message);
    }
    return outcome;
  }

  private OutboundMessage message(String attemptKey, dev.norns.whatsapp.workflows.model.Channel forced) {
    return new OutboundMessage(input.reminderId(), attemptKey, input.userId(), null, forced, templateName, variables,
        body);
  }

  /** This round's first send key ("send-1", "r2-send-1"…). */
  String sendKey() {
    return keyPrefix() + OutboundMessage.FIRST_SEND;
  }

  /** Sends are handed to the dispatcher ahead of the due time (new reminders); false for the activity at due time. */
  boolean dispatchesAhead() {
    return input.dispatch() != null;
  }

  boolean queued() {
    return queuedKey != null;
  }

  /** Queues this round's send for the dispatcher, due at the reminder's due time, with the current content. */
  void queue() {
    queuedKey = sendKey();
    try {
      bookkeeping.queueSend(message(queuedKey, null), state.sendAt());
    } catch (io.temporal.failure.ActivityFailure failure) {
      // A week without the database: send through the activity at the due time instead.
      queuedKey = null;
      Workflow.getLogger(ReminderRun.class).warn("whatsapp reminder {} send not queued: {}", state.reminderId(),
          failure.getMessage());
    }
    Workflow.setCurrentDetails(Summaries.details(state, input) + (queuedKey == null ? ""
        : "\nSend queued: the dispatcher sends it at " + state.sendAt()));
  }

  /**
   * Takes the queued send back (before a command changes or ends the reminder). False when the dispatcher already has
   * it: the send is under way and its report will come.
   */
  boolean withdraw() {
    if (queuedKey == null) {
      return true;
    }
    boolean withdrawn = withdrawKey(queuedKey);
    if (withdrawn) {
      queuedKey = null;
    }
    return withdrawn;
  }

  /** Takes back whatever is queued under {@code key} (by this workflow or by the API); false when it is too late. */
  boolean withdrawKey(String key) {
    try {
      return bookkeeping.withdrawSend(input.reminderId(), key);
    } catch (io.temporal.failure.ActivityFailure failure) {
      return false;
    }
  }

  /** This round's send was queued by the API: it is this workflow's queued send from now on. */
  void adoptQueued() {
    queuedKey = sendKey();
  }

  /** A report came for {@code key}. */
  boolean reportedFor(String key) {
    return reports.containsKey(key);
  }

  /** The dispatcher's report: kept per attempt key; the delivery status it carries is a callback like any other. */
  void dispatched(DispatchReport report) {
    if (report == null || report.attemptKey() == null) {
      return;
    }
    reports.putIfAbsent(report.attemptKey(), report);
    if (report.delivery() != null) {
      deliveryStatus(report.delivery());
    }
  }

  boolean reported() {
    return queuedKey != null && reportedFor(queuedKey);
  }

  /** The queued send's report carries its outcome (it was not handed back). */
  boolean reportedOutcome() {
    return reported() && reports.get(queuedKey).outcome() != null;
  }

  /** Twilio's answer about {@code sid} (no final callback came in time), or null when it has none. */
  DeliveryUpdate lookup(String sid) {
    WhatsAppSendActivities twilio = Workflow.newActivityStub(WhatsAppSendActivities.class,
        ActivityPolicies.twilioSend().toBuilder().setSummary("ask Twilio about " + sid).build());
    try {
      return twilio.lookup(sid);
    } catch (io.temporal.failure.ActivityFailure failure) {
      return null;
    }
  }

  /** The prefix of this round's send keys: round 1 keeps the original keys ("send-1"). */
  String keyPrefix() {
    return state.round() == 1 ? "" : "r" + state.round() + "-";
  }

  void apply(ReminderEdit edit) {
    templateName = edit.templateName() != null ? edit.templateName() : templateName;
    variables = edit.variables() != null ? Map.copyOf(edit.variables()) : variables;
    body = edit.body() != null ? edit.body() : body;
  }

  String templateName() {
    return templateName;
  }

  /** A Twilio callback: merged per SID, applied when it is about the current message. */
  void deliveryStatus(DeliveryUpdate update) {
    DeliveryUpdate merged = delivery.remember(update);
    if (merged != null && merged.messageSid().equals(state.messageSid())) {
      state = delivery.apply(state, merged);
    }
  }

  /** Waits until {@code until} or a command or {@code also}; true when woken before {@code until}. */
  boolean waitUntil(Instant until, String summary, io.temporal.workflow.Functions.Func<Boolean> also) {
    return waitUntil(until, summary, also, true);
  }

  /** The same, waking for commands only when {@code commands} (a send under way lets them wait for its answer). */
  boolean waitUntil(Instant until, String summary, io.temporal.workflow.Functions.Func<Boolean> also,
      boolean commands) {
    Duration wait = Duration.between(WorkflowWaits.now(), until);
    if ((commands && inbox.hasCommand()) || also.apply()) {
      return true;
    }
    if (wait.isNegative() || wait.isZero()) {
      return false;
    }
    return WorkflowWaits.awaitFor(wait, summary, () -> (commands && inbox.hasCommand()) || also.apply());
  }
}
