package dev.norns.whatsapp.workflows.reminder;

import dev.norns.whatsapp.workflows.model.Channel;
import dev.norns.whatsapp.workflows.model.DeliveryUpdate;
import dev.norns.whatsapp.workflows.model.Phase;
import dev.norns.whatsapp.workflows.model.ReminderStatus;
import io.temporal.workflow.Workflow;
import java.time.Instant;

/**
 * Sent: waits for Twilio to say delivered, read or failed, at most the confirm timeout; then asks Twilio for the message
 * and says UNCONFIRMED only when Twilio has nothing final either. Replies are taken meanwhile: the user may answer
 * before the read receipt comes.
 */
final class FollowDelivery {
  /** Version marker: a status known on entry is acted on at once (before, it waited for the next change). */
  static final String KNOWN_AT_ONCE = "follow-known-status";

  private FollowDelivery() {}

  /**
   * No final callback in time: ask Twilio before saying UNCONFIRMED (a callback can be lost to a crash). True when
   * Twilio's answer moved the status, so the loop goes on with it.
   */
  private static boolean askedTwilio(ReminderRun run) {
    String sid = run.state().messageSid();
    DeliveryUpdate answer = sid == null ? null : run.lookup(sid);
    ReminderStatus before = run.state().status();
    if (answer != null) {
      run.deliveryStatus(answer);
    }
    return run.state().status() != before;
  }

  static void run(ReminderRun run) {
    Instant deadline = run.state().sentAt().plus(run.input.confirmTimeout());
    while (run.phase() == Phase.FOLLOWING) {
      ReminderStatus seen = run.state().status();
      if (settles(seen) && Workflow.getVersion(KNOWN_AT_ONCE, Workflow.DEFAULT_VERSION, 1) == 1) {
        // Twilio's word came with the send (a callback that beat the answer, or the dispatcher's report): act on it.
        settle(run, seen);
        continue;
      }
      boolean woken = run.waitUntil(deadline, "wait for delivery (" + run.input.confirmTimeout() + ")",
          () -> run.state().status() != seen);
      if (run.inbox.hasCommand()) {
        Commands.apply(run, run.inbox.next());
        continue;
      }
      ReminderStatus now = run.state().status();
      if (settles(now)) {
        settle(run, now);
      } else if (!woken && !askedTwilio(run)) {
        run.set(run.state().withError("NO_CALLBACK", "no final delivery status within "
            + run.input.confirmTimeout() + ", and Twilio had none either"));
        run.enter(ReminderStatus.UNCONFIRMED, Phase.AWAITING_REPLY);
      }
    }
  }

  private static boolean settles(ReminderStatus status) {
    return status == ReminderStatus.FAILED || status == ReminderStatus.DELIVERED || status == ReminderStatus.READ;
  }

  /** Delivered or read: on to the reply; failed: the 63016 fallback or FAILED. */
  private static void settle(ReminderRun run, ReminderStatus now) {
    if (now == ReminderStatus.FAILED) {
      DeliveryUpdate failure = run.delivery.known(run.state().messageSid());
      if (failure != null && failure.outsideWindow() && run.state().channel() == Channel.FREEFORM) {
        SendRound.fallback(run);
      } else {
        run.enter(ReminderStatus.FAILED, Phase.DONE);
      }
    } else {
      run.enter(now, Phase.AWAITING_REPLY);
    }
  }
}
