package dev.norns.whatsapp.workflows.reminder;

import static dev.norns.whatsapp.workflows.reminder.WorkflowWaits.awaitFor;
import static dev.norns.whatsapp.workflows.reminder.WorkflowWaits.errorCodeOf;
import static dev.norns.whatsapp.workflows.reminder.WorkflowWaits.messageOf;
import static dev.norns.whatsapp.workflows.reminder.WorkflowWaits.now;

import dev.norns.whatsapp.workflows.ReminderSearchAttributes;
import dev.norns.whatsapp.workflows.model.Channel;
import dev.norns.whatsapp.workflows.model.DeliveryPlan;
import dev.norns.whatsapp.workflows.model.DeliveryUpdate;
import dev.norns.whatsapp.workflows.model.OutboundMessage;
import dev.norns.whatsapp.workflows.model.ReminderInput;
import dev.norns.whatsapp.workflows.model.ReminderState;
import dev.norns.whatsapp.workflows.model.ReminderStatus;
import dev.norns.whatsapp.workflows.model.SendOutcome;
import io.temporal.common.SearchAttributeUpdate;
import io.temporal.failure.ActivityFailure;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;

/** See {@link ReminderWorkflow}. Deterministic: time, timers and logging only through {@link Workflow}. */
public class ReminderWorkflowImpl implements ReminderWorkflow {
  private static final Logger log = Workflow.getLogger(ReminderWorkflowImpl.class);
  private static final String OUTSIDE_WINDOW = "63016";
  private static final String OPTED_OUT = "21610";
  /** Version 1 waits for replies (done, snooze, cancel) and nudges after sending; before it, the workflow ended. */
  private static final String REPLY_TO_ACT = "reply-to-act";
  /** Version 1 upserts the search attributes (status, due time, channel) at each recorded state change. */
  private static final String SEARCH_ATTRIBUTES = "search-attributes";

  private final ReminderActivities bookkeeping =
      Workflow.newActivityStub(ReminderActivities.class, ActivityPolicies.bookkeeping());
  private final WhatsAppSendActivities twilio =
      Workflow.newActivityStub(WhatsAppSendActivities.class, ActivityPolicies.twilioSend());

  /** Callbacks can arrive before the send activity returns the SID, so they are kept per SID until it does. */
  private final DeliveryTracker delivery = new DeliveryTracker();
  private final ReminderSearchAttributes searchAttributes = new ReminderSearchAttributes();
  private boolean upsertSearchAttributes;
  private String userId;
  private ReminderState state;
  private boolean cancelRequested;
  private boolean dueTimeChanged;
  private boolean acknowledged;
  private boolean dismissed;
  private boolean optedOut;
  private Instant snoozeUntil;
  private Instant earlyDueAt;

  @Override
  public ReminderState run(ReminderInput input) {
    // Asked once, before the first command: histories recorded before it replay without upserts.
    upsertSearchAttributes = Workflow.getVersion(SEARCH_ATTRIBUTES, Workflow.DEFAULT_VERSION, 1) >= 1;
    userId = input.userId();
    state = ReminderState.scheduled(input.reminderId(), earlyDueAt != null ? earlyDueAt : input.dueAt());
    record();
    for (int round = 1; ; round++) {
      if (!waitUntilDue()) {
        return finish(state.withStatus(optedOut ? ReminderStatus.OPTED_OUT : ReminderStatus.CANCELLED));
      }
      state = state.withStatus(ReminderStatus.SENDING);
      record();
      DeliveryPlan plan;
      try {
        plan = bookkeeping.planDelivery(input.userId());
      } catch (ActivityFailure failure) {
        return fail("USER_UNREACHABLE", messageOf(failure));
      }
      if (plan.optedOut()) {
        return finish(state.withStatus(ReminderStatus.OPTED_OUT).withError(OPTED_OUT, "the user sent STOP"));
      }
      boolean accepted = deliver(input, plan, round == 1 ? "" : "r" + round + "-");
      if (!accepted || Workflow.getVersion(REPLY_TO_ACT, Workflow.DEFAULT_VERSION, 1) == Workflow.DEFAULT_VERSION) {
        return finish(state);
      }
      if (!awaitReply(input, round)) {
        return finish(state);
      }
      state = state.withStatus(ReminderStatus.SCHEDULED).withDueAt(snoozeUntil);
      snoozeUntil = null;
      record();
    }
  }

  /**
   * Sends on the channel the window allows and follows the message until Twilio settles it. Twilio reports a closed
   * window (63016) either at once or as a failed status callback; either way a freeform send falls back to the
   * template once. Returns whether a message went out.
   */
  private boolean deliver(ReminderInput input, DeliveryPlan plan, String keyPrefix) {
    state = state.withChannel(plan.windowOpen() ? Channel.FREEFORM : Channel.TEMPLATE, reason(plan));
    String attemptKey = keyPrefix + "send-1";
    while (true) {
      if (!send(input, plan, attemptKey)) {
        return false;
      }
      followDelivery(input);
      boolean windowClosed = state.status() == ReminderStatus.FAILED && OUTSIDE_WINDOW.equals(state.lastErrorCode());
      if (!windowClosed || state.channel() != Channel.FREEFORM) {
        return state.status() != ReminderStatus.FAILED;
      }
      state = state.withStatus(ReminderStatus.SENDING)
          .withChannel(Channel.TEMPLATE, "63016: the window closed before the freeform send; template");
      record();
      attemptKey = keyPrefix + "fallback-1";
    }
  }

  /** One message to Twilio on the current channel; false (with the state saying why) when it did not go out. */
  private boolean send(ReminderInput input, DeliveryPlan plan, String attemptKey) {
    state = state.withAttempt();
    SendOutcome outcome;
    try {
      outcome = twilio.send(new OutboundMessage(input.reminderId(), attemptKey, plan.phoneNumber(), state.channel(),
          input.templateName(), input.variables(), input.body()));
    } catch (ActivityFailure failure) {
      state = state.withStatus(ReminderStatus.FAILED)
          .withError(errorCodeOf(failure), "Twilio kept failing: " + messageOf(failure));
      return false;
    }
    switch (outcome.result()) {
      case ACCEPTED -> {
        accepted(input, outcome);
        return true;
      }
      case UNKNOWN -> state = state.withStatus(ReminderStatus.UNCONFIRMED)
          .withError(outcome.errorCode(), outcome.errorMessage());
      case OUTSIDE_WINDOW -> {
        // Reported at once rather than by callback: let deliver() fall back like for a failed callback.
        state = state.withStatus(ReminderStatus.FAILED).withError(outcome.errorCode(), outcome.errorMessage());
        return state.channel() == Channel.FREEFORM;
      }
      default -> state = state.withStatus(OPTED_OUT.equals(outcome.errorCode())
          ? ReminderStatus.OPTED_OUT : ReminderStatus.FAILED).withError(outcome.errorCode(), outcome.errorMessage());
    }
    return false;
  }

  private static String reason(DeliveryPlan plan) {
    if (plan.windowOpen()) {
      return "session window open until " + plan.windowExpiresAt() + " (" + plan.windowSource() + ")";
    }
    return plan.windowExpiresAt() == null ? "no session window: the user has not written"
        : "session window closed at " + plan.windowExpiresAt() + " (" + plan.windowSource() + ")";
  }

  private void accepted(ReminderInput input, SendOutcome outcome) {
    state = state.withStatus(ReminderStatus.SENT).withMessage(outcome.messageSid(), now());
    log.info("whatsapp reminder {} sent as {} via {}", input.reminderId(), outcome.messageSid(),
        state.channel().wireName());
    state = delivery.apply(state, delivery.known(outcome.messageSid(), outcome.status()));
    record();
  }

  /** Waits for delivered/read/failed (UNCONFIRMED if none comes in time), or for the user's reply. */
  private void followDelivery(ReminderInput input) {
    if (!state.status().isFinal()) {
      boolean settled = awaitFor(input.confirmTimeout(), () -> state.status().isFinal() || replied());
      if (!settled) {
        state = state.withStatus(ReminderStatus.UNCONFIRMED)
            .withError("NO_CALLBACK", "no final delivery status within " + input.confirmTimeout());
        return;
      }
    }
    if (state.status() == ReminderStatus.DELIVERED && !replied()) {
      record();
      awaitFor(input.readTimeout(), () -> state.status() != ReminderStatus.DELIVERED || replied());
    }
  }

  /**
   * After sending: waits for the user's reply until the reply window (sent + readTimeout) closes, re-sending on the
   * nudge policy meanwhile. Returns true when the user snoozed it (send again at {@link #snoozeUntil}).
   */
  private boolean awaitReply(ReminderInput input, int round) {
    Instant deadline = state.sentAt().plus(input.readTimeout());
    Instant firstSent = state.sentAt();
    ReminderState recorded = null;
    int nudges = 0;
    while (true) {
      if (snoozeUntil != null) {
        return true;
      }
      if (acknowledged || dismissed || optedOut) {
        state = state.withStatus(acknowledged ? ReminderStatus.ACKNOWLEDGED
            : dismissed ? ReminderStatus.CANCELLED : ReminderStatus.OPTED_OUT);
        return false;
      }
      if (!state.equals(recorded)) {
        record();
        recorded = state;
      }
      boolean nudging = input.nudge() != null && nudges < input.nudge().max()
          && state.status() != ReminderStatus.FAILED;
      Instant wakeAt = nudging ? min(firstSent.plus(input.nudge().every().multipliedBy(nudges + 1L)), deadline)
          : deadline;
      Duration wait = Duration.between(now(), wakeAt);
      ReminderStatus seen = state.status();
      boolean woken = wait.isNegative() || wait.isZero() ? false
          : awaitFor(wait, () -> replied() || state.status() != seen);
      if (woken) {
        continue;
      }
      if (!now().isBefore(deadline)) {
        return false;
      }
      if (nudging) {
        nudges++;
        nudge(input, round, nudges);
      }
    }
  }

  private static Instant min(Instant a, Instant b) {
    return a.isBefore(b) ? a : b;
  }

  private void nudge(ReminderInput input, int round, int nudge) {
    DeliveryPlan plan;
    try {
      plan = bookkeeping.planDelivery(input.userId());
    } catch (ActivityFailure failure) {
      return;
    }
    if (plan.optedOut()) {
      optedOut = true;
      return;
    }
    state = state.withChannel(plan.windowOpen() ? Channel.FREEFORM : Channel.TEMPLATE, "nudge " + nudge + ": "
        + reason(plan));
    send(input, plan, "r" + round + "-nudge-" + nudge);
  }

  private boolean replied() {
    return acknowledged || dismissed || optedOut || snoozeUntil != null;
  }

  /** Returns false when cancelled or opted out; follows reschedules until the (latest) due time passes. */
  private boolean waitUntilDue() {
    while (!cancelRequested && !optedOut) {
      if (dueTimeChanged) {
        dueTimeChanged = false;
        record();
        continue;
      }
      Duration wait = Duration.between(now(), state.dueAt());
      if (wait.isNegative() || wait.isZero()) {
        return true;
      }
      if (!awaitFor(wait, () -> cancelRequested || optedOut || dueTimeChanged)) {
        return true;
      }
    }
    return false;
  }

  /** Records the state in PostgreSQL and, from version 1 on, shows it in the search attributes (Temporal UI). */
  private void record() {
    bookkeeping.recordState(state);
    if (upsertSearchAttributes) {
      List<SearchAttributeUpdate<?>> changes = searchAttributes.changesTo(userId, state);
      if (!changes.isEmpty()) {
        Workflow.upsertTypedSearchAttributes(changes.toArray(SearchAttributeUpdate<?>[]::new));
      }
    }
  }

  private ReminderState fail(String code, String reason) {
    return finish(state.withStatus(ReminderStatus.FAILED).withError(code, reason));
  }

  private ReminderState finish(ReminderState last) {
    state = last;
    record();
    log.info("whatsapp reminder {} finished {}", state.reminderId(), state.status());
    return state;
  }

  @Override
  public void cancel() {
    if (state == null || state.status() == ReminderStatus.SCHEDULED) {
      cancelRequested = true;
    }
  }

  @Override
  public void reschedule(Instant newDueAt) {
    if (newDueAt == null) {
      return;
    }
    if (state == null) {
      // Signalled before run() started (same workflow task as the start): applied once the state exists.
      earlyDueAt = newDueAt;
    } else if (state.status() == ReminderStatus.SCHEDULED) {
      state = state.withDueAt(newDueAt);
      dueTimeChanged = true;
    }
  }

  @Override
  public void acknowledge() {
    acknowledged = true;
  }

  @Override
  public void snooze(Instant until) {
    if (until != null && state != null && state.sentAt() != null) {
      snoozeUntil = until;
    }
  }

  @Override
  public void dismiss() {
    dismissed = true;
  }

  @Override
  public void optOut() {
    optedOut = true;
  }

  @Override
  public void deliveryStatus(DeliveryUpdate update) {
    DeliveryUpdate merged = delivery.remember(update);
    if (merged != null && state != null && merged.messageSid().equals(state.messageSid())) {
      state = delivery.apply(state, merged.status());
    }
  }

  @Override
  public ReminderState getState() {
    return state;
  }
}
