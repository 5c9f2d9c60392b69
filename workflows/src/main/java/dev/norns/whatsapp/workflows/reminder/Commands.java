package dev.norns.whatsapp.workflows.reminder;

import dev.norns.whatsapp.workflows.model.Phase;
import dev.norns.whatsapp.workflows.model.ReminderStatus;
import dev.norns.whatsapp.workflows.model.TwilioCodes;

/**
 * What a command does, whichever phase takes it: one rule each, so a reply does what it said and nothing more in every
 * phase (a "done" while snoozed ends it ACKNOWLEDGED and nothing is re-sent; a second snooze moves the first).
 */
final class Commands {
  private Commands() {}

  /** Applies {@code command} (or refuses it, per {@link Command#refusal}) and answers it with the new state. */
  static void apply(ReminderRun run, Command command) {
    String refusal = Command.refusal(command.kind, run.state(), command.at);
    if (refusal != null) {
      command.refuse(refusal);
      return;
    }
    switch (command.kind) {
      case CANCEL, DISMISS -> run.enter(ReminderStatus.CANCELLED, Phase.DONE);
      case ACKNOWLEDGE -> run.enter(ReminderStatus.ACKNOWLEDGED, Phase.DONE);
      case OPT_OUT -> {
        run.set(run.state().withError(TwilioCodes.OPTED_OUT, "the user sent STOP"));
        run.enter(ReminderStatus.OPTED_OUT, Phase.DONE);
      }
      case SNOOZE -> {
        run.set(run.deferIfQuiet(run.phase() == Phase.SNOOZED ? run.state().withDueAt(command.until)
            : run.state().nextRound(command.until)));
        run.record();
      }
      case RESCHEDULE -> {
        run.set(run.deferIfQuiet(run.state().withDueAt(command.until)));
        run.record();
      }
      case EDIT -> run.apply(command.edit);
    }
    command.done(run.state());
  }
}
