package dev.norns.whatsapp.workflows.reminder;

import dev.norns.whatsapp.workflows.model.ReminderInput;
import dev.norns.whatsapp.workflows.model.ReminderState;

/** What an operator reads in the Temporal UI about a reminder: its current details, one line per phase. */
final class Summaries {
  private Summaries() {}

  static String details(ReminderState state, ReminderInput input) {
    String head = input.summary() == null ? "Reminder " + state.reminderId() : input.summary();
    String now = switch (state.phase()) {
      case SCHEDULED -> "Scheduled: waiting until " + state.dueAt();
      case SNOOZED -> "Snoozed by the user: sending again at " + state.dueAt() + " (round " + state.round() + ")";
      case SENDING -> "Sending (round " + state.round() + ", attempt " + (state.attempts() + 1) + ")";
      case FOLLOWING -> "Sent as " + state.messageSid() + " via " + wire(state) + ": waiting for Twilio to deliver it";
      case AWAITING_REPLY -> state.status() + " (" + wire(state) + "): waiting for the user's reply"
          + (input.nudge() == null ? "" : "; nudges sent " + state.nudgesSent() + " of " + input.nudge().max());
      case DONE -> "Finished " + state.status() + (state.lastErrorCode() == null ? ""
          : " (" + state.lastErrorCode() + ": " + state.lastError() + ")");
    };
    if (state.deferredUntil() != null && state.phase().waitingToSend()) {
      now += "\nDeferred to " + state.deferredUntil() + " by the " + state.deferredReason();
    }
    return head + "\n\n" + now;
  }

  private static String wire(ReminderState state) {
    return state.channel() == null ? "?" : state.channel().wireName();
  }
}
