package dev.norns.whatsapp.workflows.reminder;

import dev.norns.whatsapp.workflows.model.Channel;
import dev.norns.whatsapp.workflows.model.DeliveryPlan;
import dev.norns.whatsapp.workflows.model.DeliveryStatus;
import dev.norns.whatsapp.workflows.model.DeliveryUpdate;
import dev.norns.whatsapp.workflows.model.OutboundMessage;
import dev.norns.whatsapp.workflows.model.ReminderInput;
import dev.norns.whatsapp.workflows.model.ReminderState;
import dev.norns.whatsapp.workflows.model.ReminderStatus;
import dev.norns.whatsapp.workflows.model.SendOutcome;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.Functions;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;

/** See {@link ReminderWorkflow}. Deterministic: time, timers and logging only through {@link Workflow}. */
public class ReminderWorkflowImpl implements ReminderWorkflow {
  private static final Logger log = Workflow.getLogger(ReminderWorkflowImpl.class);
  private static final String OUTSIDE_WINDOW = "63016";

  private final ReminderActivities bookkeeping =
      Workflow.newActivityStub(ReminderActivities.class, ActivityPolicies.bookkeeping());
  private final WhatsAppSendActivities twilio =
      Workflow.newActivityStub(WhatsAppSendActivities.class, ActivityPolicies.twilioSend());

  /** Callbacks can arrive before the send activity returns the SID, so they are kept per SID until it does. */
  private final Map<String, DeliveryUpdate> latestBySid = new HashMap<>();
  private ReminderState state;
  private boolean cancelRequested;
  private boolean dueTimeChanged;

  @Override
  public ReminderState run(ReminderInput input) {
    state = ReminderState.scheduled(input.reminderId(), input.dueAt());
    bookkeeping.recordState(state);

    if (!waitUntilDue()) {
      return finish(state.withStatus(ReminderStatus.CANCELLED));
    }
    state = state.withStatus(ReminderStatus.SENDING);
    bookkeeping.recordState(state);

    DeliveryPlan plan;
    try {
      plan = bookkeeping.planDelivery(input.userId());
    } catch (ActivityFailure failure) {
      return fail("USER_UNREACHABLE", messageOf(failure));
    }

    return deliver(input, plan);
  }

  /**
   * Sends on the channel the window allows and follows the message to a final state. Twilio reports a closed window
   * (63016) either at once or as a failed status callback; either way a freeform send falls back to the template once.
   */
  private ReminderState deliver(ReminderInput input, DeliveryPlan plan) {
    state = state.withChannel(plan.windowOpen() ? Channel.FREEFORM : Channel.TEMPLATE, plan.windowOpen()
        ? "session window open until " + plan.windowExpiresAt() + " (" + plan.windowSource() + ")"
        : plan.windowExpiresAt() == null
            ? "no session window: the user has not written"
            : "session window closed at " + plan.windowExpiresAt() + " (" + plan.windowSource() + ")");
    String attemptKey = "send-1";
    while (true) {
      state = state.withAttempt();
      SendOutcome outcome;
      try {
        outcome = twilio.send(new OutboundMessage(input.reminderId(), attemptKey, plan.phoneNumber(),
            state.channel(), input.templateName(), input.variables(), input.body()));
      } catch (ActivityFailure failure) {
        return fail(errorCodeOf(failure), "Twilio kept failing: " + messageOf(failure));
      }
      if (outcome.result() == SendOutcome.Result.ACCEPTED) {
        accepted(input, outcome);
        followDelivery(input);
      } else if (outcome.result() == SendOutcome.Result.UNKNOWN) {
        return finish(state.withStatus(ReminderStatus.UNCONFIRMED)
            .withError(outcome.errorCode(), outcome.errorMessage()));
      } else {
        state = state.withStatus(ReminderStatus.FAILED).withError(outcome.errorCode(), outcome.errorMessage());
      }
      boolean windowClosed = state.status() == ReminderStatus.FAILED && OUTSIDE_WINDOW.equals(state.lastErrorCode());
      if (!windowClosed || state.channel() != Channel.FREEFORM) {
        return finish(state);
      }
      state = state.withStatus(ReminderStatus.SENDING)
          .withChannel(Channel.TEMPLATE, "63016: the window closed before the freeform send; template");
      bookkeeping.recordState(state);
      attemptKey = "fallback-1";
    }
  }

  private void accepted(ReminderInput input, SendOutcome outcome) {
    state = state.withStatus(ReminderStatus.SENT).withMessage(outcome.messageSid(), now());
    log.info("whatsapp reminder {} sent as {} via {}", input.reminderId(), outcome.messageSid(),
        state.channel().wireName());
    DeliveryUpdate early = latestBySid.get(outcome.messageSid());
    DeliveryStatus known = outcome.status() == null ? DeliveryStatus.QUEUED : outcome.status();
    applyDelivery(early == null ? known : known.merge(early.status()));
    bookkeeping.recordState(state);
  }

  /** Waits for delivered/read/failed; UNCONFIRMED if Twilio says nothing final in time. */
  private void followDelivery(ReminderInput input) {
    if (!state.status().isFinal()) {
      boolean settled = awaitFor(input.confirmTimeout(), () -> state.status().isFinal());
      if (!settled) {
        state = state.withStatus(ReminderStatus.UNCONFIRMED)
            .withError("NO_CALLBACK", "no final delivery status within " + input.confirmTimeout());
        return;
      }
    }
    if (state.status() == ReminderStatus.DELIVERED) {
      bookkeeping.recordState(state);
      awaitFor(input.readTimeout(), () -> state.status() != ReminderStatus.DELIVERED);
    }
  }

  /** Returns false when cancelled; follows reschedules until the (latest) due time passes. */
  private boolean waitUntilDue() {
    while (!cancelRequested) {
      if (dueTimeChanged) {
        dueTimeChanged = false;
        bookkeeping.recordState(state);
        continue;
      }
      Duration wait = Duration.between(now(), state.dueAt());
      if (wait.isNegative() || wait.isZero()) {
        return true;
      }
      if (!awaitFor(wait, () -> cancelRequested || dueTimeChanged)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Waits until {@code condition} holds or {@code timeout} passes; true if the condition held. Uses a timer in its own
   * cancellation scope so that it does not stay behind once the condition fires (sdk-java #2312).
   */
  private boolean awaitFor(Duration timeout, Functions.Func<Boolean> condition) {
    List<Promise<Void>> timer = new ArrayList<>(1);
    CancellationScope scope = Workflow.newCancellationScope(() -> timer.add(Workflow.newTimer(timeout)));
    scope.run();
    Workflow.await(() -> condition.apply() || timer.get(0).isCompleted());
    boolean held = condition.apply();
    if (!timer.get(0).isCompleted()) {
      scope.cancel();
    }
    return held;
  }

  private void applyDelivery(DeliveryStatus status) {
    if (status == null) {
      return;
    }
    ReminderStatus next = switch (status) {
      case DELIVERED -> ReminderStatus.DELIVERED;
      case READ -> ReminderStatus.READ;
      case FAILED, UNDELIVERED, CANCELED -> ReminderStatus.FAILED;
      default -> state.status();
    };
    if (next == ReminderStatus.FAILED) {
      DeliveryUpdate update = latestBySid.get(state.messageSid());
      String code = update != null && update.errorCode() != null ? update.errorCode() : status.twilioName();
      String reason = update != null && update.errorMessage() != null
          ? update.errorMessage() : "Twilio reported the message " + status.twilioName();
      state = state.withStatus(next).withError(code, reason);
    } else if (rank(next) > rank(state.status())) {
      state = state.withStatus(next);
    }
  }

  private static int rank(ReminderStatus status) {
    return switch (status) {
      case SENT -> 1;
      case DELIVERED -> 2;
      case READ -> 3;
      default -> 0;
    };
  }

  private ReminderState fail(String code, String reason) {
    return finish(state.withStatus(ReminderStatus.FAILED).withError(code, reason));
  }

  private ReminderState finish(ReminderState last) {
    state = last;
    bookkeeping.recordState(state);
    log.info("whatsapp reminder {} finished {}", state.reminderId(), state.status());
    return state;
  }

  private Instant now() {
    return Instant.ofEpochMilli(Workflow.currentTimeMillis());
  }

  private static String messageOf(ActivityFailure failure) {
    Throwable cause = failure.getCause();
    if (cause instanceof ApplicationFailure app) {
      return app.getOriginalMessage();
    }
    return cause != null ? cause.getMessage() : failure.getMessage();
  }

  private static String errorCodeOf(ActivityFailure failure) {
    if (failure.getCause() instanceof ApplicationFailure app && app.getDetails().getSize() > 0) {
      return app.getDetails().get(String.class);
    }
    return "TWILIO_UNAVAILABLE";
  }

  @Override
  public void cancel() {
    if (state == null || state.status() == ReminderStatus.SCHEDULED) {
      cancelRequested = true;
    }
  }

  @Override
  public void reschedule(Instant newDueAt) {
    if (state != null && state.status() == ReminderStatus.SCHEDULED && newDueAt != null) {
      state = state.withDueAt(newDueAt);
      dueTimeChanged = true;
    }
  }

  @Override
  public void deliveryStatus(DeliveryUpdate update) {
    if (update == null || update.messageSid() == null || update.status() == null) {
      return;
    }
    DeliveryUpdate known = latestBySid.get(update.messageSid());
    if (known != null && known.status() != null) {
      DeliveryStatus merged = known.status().merge(update.status());
      update = merged == update.status() ? update : known;
    }
    latestBySid.put(update.messageSid(), update);
    if (update.messageSid().equals(state.messageSid())) {
      applyDelivery(update.status());
    }
  }

  @Override
  public ReminderState getState() {
    return state;
  }
}
