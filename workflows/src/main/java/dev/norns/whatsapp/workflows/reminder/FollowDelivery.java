package dev.norns.whatsapp.workflows.reminder;

import dev.norns.whatsapp.workflows.model.Channel;
import dev.norns.whatsapp.workflows.model.DeliveryUpdate;
import dev.norns.whatsapp.workflows.model.Phase;
import dev.norns.whatsapp.workflows.model.ReminderStatus;
import java.time.Instant;

/**
 * Sent: waits for Twilio to say delivered, read or failed, at most the confirm timeout; then asks Twilio for the message
 * and says UNCONFIRMED only when Twilio has nothing final either. Replies are taken meanwhile: the user may answer
 * before the read receipt comes.
 */
final class FollowDelivery {
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
      boolean woken = run.waitUntil(deadline, "wait for delivery (" + run.input.confirmTimeout() + ")",
          () -> run.state().status() != seen);
      if (run.inbox.hasCommand()) {
        Commands.apply(run, run.inbox.next());
        continue;
      }
      ReminderStatus now = run.state().status();
      if (now == ReminderStatus.FAILED) {
        DeliveryUpdate failure = run.delivery.known(run.state().messageSid());
        if (failure != null && failure.outsideWindow() && run.state().channel() == Channel.FREEFORM) {
          SendRound.fallback(run);
        } else {
          run.enter(ReminderStatus.FAILED, Phase.DONE);
        }
      } else if (now == ReminderStatus.DELIVERED || now == ReminderStatus.READ) {
        run.enter(now, Phase.AWAITING_REPLY);
      } else if (!woken && !askedTwilio(run)) {
        run.set(run.state().withError("NO_CALLBACK", "no final delivery status within "
            + run.input.confirmTimeout() + ", and Twilio had none either"));
        run.enter(ReminderStatus.UNCONFIRMED, Phase.AWAITING_REPLY);
      }
    }
  }
}
