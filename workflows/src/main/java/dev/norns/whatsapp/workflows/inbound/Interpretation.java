package dev.norns.whatsapp.workflows.inbound;

import java.time.Instant;
import java.util.List;

/**
 * What an inbound message means.
 *
 * @param reminderId the reminder a DONE/SNOOZE/CANCEL refers to
 * @param reply the confirmation to send back (the user just wrote, so the window is open); for DONE/SNOOZE/CANCEL the
 *     one to send when the reminder accepts the command
 * @param pendingReminderIds for STOP: the user's reminders still to be sent
 * @param forward for MESSAGE: whether an agent endpoint is configured to receive it
 */
public record Interpretation(Kind kind, String reminderId, Instant snoozeUntil, String reply,
    List<String> pendingReminderIds, boolean forward) {

  public enum Kind {
    UNKNOWN_SENDER, STOP, START, JOIN, DONE, SNOOZE, CANCEL, MESSAGE,
    /** A command that could be about several open reminders: the reply asks which one. */
    AMBIGUOUS
  }
}
