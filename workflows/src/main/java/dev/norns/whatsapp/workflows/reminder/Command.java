package dev.norns.whatsapp.workflows.reminder;

import dev.norns.whatsapp.workflows.model.Phase;
import dev.norns.whatsapp.workflows.model.ReminderEdit;
import dev.norns.whatsapp.workflows.model.ReminderState;
import java.time.Instant;

/**
 * A caller's command waiting in the reminder's inbox until the phase that is running takes it. Its answer is the state
 * after it, or why it was refused.
 */
final class Command {
  enum Kind { CANCEL, RESCHEDULE, EDIT, ACKNOWLEDGE, SNOOZE, DISMISS, OPT_OUT }

  final Kind kind;
  /** When the user wrote it (replies); null for the API's commands. */
  final Instant at;
  /** The new due time (reschedule) or snooze time. */
  final Instant until;
  final ReminderEdit edit;
  private boolean answered;
  private ReminderState result;
  private String refusal;

  Command(Kind kind, Instant at, Instant until, ReminderEdit edit) {
    this.kind = kind;
    this.at = at;
    this.until = until;
    this.edit = edit;
  }

  void done(ReminderState state) {
    result = state;
    answered = true;
  }

  void refuse(String why) {
    refusal = why;
    answered = true;
  }

  boolean answered() {
    return answered;
  }

  ReminderState result() {
    return result;
  }

  String refusal() {
    return refusal;
  }

  /**
   * Why {@code kind} cannot apply to a reminder in {@code state} (null when it can): the one table of what each phase
   * allows, used by the update validators and again when a phase takes the command.
   */
  static String refusal(Kind kind, ReminderState state, Instant at) {
    Phase phase = state.phase();
    if (phase == Phase.DONE) {
      return "the reminder is already over: " + state.status();
    }
    return switch (kind) {
      case CANCEL -> phase == Phase.SENDING ? "the reminder is being sent right now" : null;
      case RESCHEDULE, EDIT -> phase.waitingToSend() ? null : phase == Phase.SENDING
          ? "the reminder is being sent right now"
          : "the reminder was already sent (" + state.status() + "); snooze it or schedule a new one";
      case ACKNOWLEDGE, SNOOZE, DISMISS -> {
        if (state.firstSentAt() == null) {
          yield "the reminder has not been sent yet";
        }
        if (at != null && at.isBefore(state.firstSentAt())) {
          yield "that reply was written before the reminder was sent";
        }
        yield null;
      }
      case OPT_OUT -> null;
    };
  }
}
