package dev.norns.whatsapp.workflows.reminder;

import dev.norns.whatsapp.workflows.model.Channel;
import dev.norns.whatsapp.workflows.model.Phase;
import dev.norns.whatsapp.workflows.model.ReminderState;
import dev.norns.whatsapp.workflows.model.ReminderStatus;
import dev.norns.whatsapp.workflows.model.SendOutcome;
import io.temporal.failure.ActivityFailure;

/**
 * Sending: one send activity, which reads the session window and picks the channel itself (freeform inside it,
 * template outside), then follows the message. Twilio reporting a closed window (63016) at once, or later in a
 * callback ({@link #fallback}), sends the template once instead.
 */
final class SendRound {
  private SendRound() {}

  static void run(ReminderRun run) {
    send(run, null, run.sendKey(), "send round " + run.state().round());
  }

  /** The freeform message failed with 63016: the template, once. */
  static void fallback(ReminderRun run) {
    run.set(run.state().withChannel(Channel.TEMPLATE, "63016: the window closed before the freeform send; template")
        .with(ReminderStatus.SENDING, Phase.SENDING));
    run.record();
    send(run, Channel.TEMPLATE, run.keyPrefix() + "fallback-1", "send template " + run.templateName()
        + " (63016 fallback)");
  }

  private static void send(ReminderRun run, Channel forced, String key, String summary) {
    run.set(run.state().withAttempt());
    SendOutcome outcome;
    try {
      outcome = run.send(key, forced, summary);
    } catch (ActivityFailure failure) {
      run.set(run.state().withError(WorkflowWaits.errorCodeOf(failure),
          "Twilio kept failing: " + WorkflowWaits.messageOf(failure)));
      run.enter(ReminderStatus.FAILED, Phase.DONE);
      return;
    }
    ReminderState state = run.state();
    if (outcome.channel() != null) {
      state = state.withChannel(outcome.channel(), outcome.channelReason());
    }
    switch (outcome.result()) {
      case ACCEPTED -> {
        state = state.with(ReminderStatus.SENT, Phase.FOLLOWING).withMessage(outcome.messageSid(),
            outcome.sentAt() != null ? outcome.sentAt() : WorkflowWaits.now());
        run.set(run.delivery.apply(state, run.delivery.known(outcome.messageSid())));
        run.record();
      }
      case OUTSIDE_WINDOW -> {
        run.set(state.withError(outcome.errorCode(), outcome.errorMessage()));
        if (forced == null && state.channel() == Channel.FREEFORM) {
          fallback(run);
        } else {
          run.enter(ReminderStatus.FAILED, Phase.DONE);
        }
      }
      case OPTED_OUT -> finish(run, state, outcome, ReminderStatus.OPTED_OUT);
      case UNKNOWN -> finish(run, state, outcome, ReminderStatus.UNCONFIRMED);
      default -> finish(run, state, outcome, ReminderStatus.FAILED);
    }
  }

  private static void finish(ReminderRun run, ReminderState state, SendOutcome outcome, ReminderStatus status) {
    run.set(state.withError(outcome.errorCode(), outcome.errorMessage()));
    run.enter(status, Phase.DONE);
  }
}
