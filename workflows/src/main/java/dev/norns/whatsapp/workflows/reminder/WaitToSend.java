package dev.norns.whatsapp.workflows.reminder;

import dev.norns.whatsapp.workflows.model.Phase;
import dev.norns.whatsapp.workflows.model.ReminderStatus;

/** Scheduled or snoozed: waits for the due time (which reschedules and snoozes move), then hands over to sending. */
final class WaitToSend {
  private WaitToSend() {}

  static void run(ReminderRun run) {
    while (run.phase().waitingToSend()) {
      String summary = run.phase() == Phase.SNOOZED ? "snoozed until " + run.state().dueAt() : "until due";
      boolean woken = run.waitUntil(run.state().dueAt(), summary, () -> false);
      if (run.inbox.hasCommand()) {
        Commands.apply(run, run.inbox.next());
      } else if (!woken) {
        run.enter(ReminderStatus.SENDING, Phase.SENDING);
      }
    }
  }
}
