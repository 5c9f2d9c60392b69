package dev.norns.whatsapp.workflows.reminder;

import dev.norns.whatsapp.workflows.model.Phase;
import dev.norns.whatsapp.workflows.model.ReminderStatus;
import io.temporal.workflow.Workflow;
import java.time.Instant;

/**
 * Scheduled or snoozed: waits for the due time (which reschedules and snoozes move), then hands over to sending.
 *
 * <p>With dispatch ahead ({@link dev.norns.whatsapp.workflows.model.ReminderInput.Dispatch}) it wakes that much
 * before the due time instead and queues the send for the workers' dispatcher, which sends it at the due time and
 * reports back: the due instant then costs the Temporal server no timer and no activity per reminder, only the report.
 * A command while the send is queued takes it back first; if the dispatcher has it already, the command waits for
 * the send's outcome, as it would during any send. The API queues the first send itself when the reminder is due
 * within the lead; the workflow adopts that row (same attempt key), and its report, as its own.
 */
final class WaitToSend {
  /** Version marker: a command before the send is queued first takes back a send the API may have queued. */
  static final String API_QUEUED = "api-queued-send";

  private WaitToSend() {}

  static void run(ReminderRun run) {
    while (run.phase().waitingToSend()) {
      if (run.dispatchesAhead()) {
        ahead(run);
        continue;
      }
      boolean woken = run.waitUntil(run.state().sendAt(), until(run), () -> false);
      if (run.inbox.hasCommand()) {
        Commands.apply(run, run.inbox.next());
      } else if (!woken) {
        run.enter(ReminderStatus.SENDING, Phase.SENDING);
      }
    }
  }

  /** The dispatcher has the send: the command is taken as during any send (refused, or applied after the outcome). */
  private static void duringSend(ReminderRun run, Command command) {
    run.enter(ReminderStatus.SENDING, Phase.SENDING);
    if (Command.refusal(command.kind, run.state(), command.at) != null) {
      Commands.apply(run, command);
    } else {
      run.inbox.putBack(command);
    }
  }

  private static String until(ReminderRun run) {
    String deferred = run.state().deferredUntil() == null ? ""
        : ", deferred to " + run.state().deferredUntil() + " by the " + run.state().deferredReason();
    return (run.phase() == Phase.SNOOZED ? "snoozed until " + run.state().dueAt() : "until due") + deferred;
  }

  private static void ahead(ReminderRun run) {
    Instant due = run.state().sendAt();
    if (!run.queued()) {
      if (run.reportedFor(run.sendKey())) {
        // The API queued this round's send when it scheduled the reminder, and the dispatcher sent it already.
        run.adoptQueued();
        return;
      }
      Instant wake = due.minus(run.input.dispatch().ahead());
      boolean woken = run.waitUntil(wake, until(run) + ", queued " + run.input.dispatch().ahead() + " ahead",
          () -> run.reportedFor(run.sendKey()));
      if (run.inbox.hasCommand()) {
        Command command = run.inbox.next();
        if (Command.refusal(command.kind, run.state(), command.at) == null
            && Workflow.getVersion(API_QUEUED, Workflow.DEFAULT_VERSION, 1) == 1
            && !run.withdrawKey(run.sendKey())) {
          // The API's queued send is with the dispatcher: taken as during any send.
          run.adoptQueued();
          duringSend(run, command);
          return;
        }
        Commands.apply(run, command);
      } else if (run.reportedFor(run.sendKey())) {
        run.adoptQueued();
      } else if (!woken) {
        run.queue();
        if (!run.queued()) {
          // Not queued (no database for a week): the activity sends it at the due time.
          run.waitUntil(due, until(run), () -> false);
          if (!run.inbox.hasCommand()) {
            run.enter(ReminderStatus.SENDING, Phase.SENDING);
          }
        }
      }
      return;
    }
    Instant takeover = due.plus(run.input.dispatch().takeover());
    run.waitUntil(takeover, "queued: the dispatcher sends it at " + due + " (taken over at " + takeover + ")",
        run::reported);
    if (run.inbox.hasCommand() && !run.reported()) {
      Command command = run.inbox.next();
      if (Command.refusal(command.kind, run.state(), command.at) != null || run.withdraw()) {
        Commands.apply(run, command);
        return;
      }
      duringSend(run, command);
      return;
    }
    if (run.reported() && run.reportedOutcome()) {
      // The outcome is here: SendRound records it, with no SENDING row in between.
      run.set(run.state().with(ReminderStatus.SENDING, Phase.SENDING));
    } else {
      run.enter(ReminderStatus.SENDING, Phase.SENDING);
    }
  }
}
