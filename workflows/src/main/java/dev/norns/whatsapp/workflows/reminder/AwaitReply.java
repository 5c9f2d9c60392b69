package dev.norns.whatsapp.workflows.reminder;

import dev.norns.whatsapp.workflows.model.Phase;
import dev.norns.whatsapp.workflows.model.ReminderInput;
import dev.norns.whatsapp.workflows.model.ReminderStatus;
import dev.norns.whatsapp.workflows.model.SendOutcome;
import io.temporal.failure.ActivityFailure;
import java.time.Instant;

/**
 * Delivered (or unconfirmed): waits for the user's reply until the reply window (sent + read timeout) closes, keeping
 * the status current as read receipts come, and re-sends on the nudge policy meanwhile. A nudge never changes the
 * reminder's delivery status: a failed nudge leaves a READ reminder READ.
 */
final class AwaitReply {
  private AwaitReply() {}

  static void run(ReminderRun run) {
    Instant deadline = run.state().sentAt().plus(run.input.readTimeout());
    ReminderInput.Nudge nudge = run.input.nudge();
    while (run.phase() == Phase.AWAITING_REPLY) {
      int sent = run.state().nudgesSent();
      boolean nudging = nudge != null && sent < nudge.max();
      Instant wake = deadline;
      if (nudging) {
        Instant due = run.release(run.state().sentAt().plus(nudge.every().multipliedBy(sent + 1L)));
        wake = due.isBefore(deadline) ? due : deadline;
      }
      ReminderStatus seen = run.state().status();
      boolean woken = run.waitUntil(wake, nudging ? "nudge " + (sent + 1) + " of " + nudge.max()
          : "wait for a reply (" + run.input.readTimeout() + ")", () -> run.state().status() != seen);
      if (run.inbox.hasCommand()) {
        Commands.apply(run, run.inbox.next());
      } else if (woken) {
        run.record();
      } else if (!WorkflowWaits.now().isBefore(deadline)) {
        run.enter(run.state().status(), Phase.DONE);
      } else if (nudging) {
        nudge(run, sent + 1, nudge.max());
      }
    }
  }

  private static void nudge(ReminderRun run, int number, int max) {
    run.set(run.state().withNudge().withAttempt());
    SendOutcome outcome;
    try {
      outcome = run.send("r" + run.state().round() + "-nudge-" + number, null, "nudge " + number + " of " + max);
    } catch (ActivityFailure failure) {
      run.set(run.state().withError(WorkflowWaits.errorCodeOf(failure), "nudge " + number + " not sent: "
          + WorkflowWaits.messageOf(failure)));
      run.record();
      return;
    }
    if (outcome.result() == SendOutcome.Result.OPTED_OUT) {
      run.set(run.state().withError(outcome.errorCode(), outcome.errorMessage()));
      run.enter(ReminderStatus.OPTED_OUT, Phase.DONE);
      return;
    }
    if (outcome.channel() != null) {
      run.set(run.state().withChannel(outcome.channel(), "nudge " + number + ": " + outcome.channelReason()));
    }
    if (outcome.result() != SendOutcome.Result.ACCEPTED) {
      run.set(run.state().withError(outcome.errorCode(), "nudge " + number + " not sent: " + outcome.errorMessage()));
    }
    run.record();
  }
}
