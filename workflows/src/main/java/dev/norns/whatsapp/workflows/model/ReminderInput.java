package dev.norns.whatsapp.workflows.model;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * Everything a reminder workflow needs, fixed at start so the workflow never reads configuration.
 *
 * @param body freeform text for the in-window send; null renders the template's body with the variables
 * @param confirmTimeout how long to wait after sending for delivered/read/failed before UNCONFIRMED
 * @param readTimeout how long to keep waiting for read once delivered, and for a reply ("done", "snooze 1h"…)
 * @param nudge re-send until acknowledged; null for none
 * @param summary one line an operator reads in the Temporal UI (who, what, when)
 * @param resume where PostgreSQL says the reminder stood, when it is started again after Temporal lost it; null for a
 *     new reminder
 * @param dispatch hand the send to the workers' dispatcher ahead of the due time; null to send through an activity at
 *     the due time (reminders started before the dispatcher existed)
 * @param quietHours the user's quiet hours, which sends, snoozes and nudges wait out; null when the reminder ignores
 *     them (and for reminders started before quiet hours existed)
 */
public record ReminderInput(
    String reminderId,
    String userId,
    String templateName,
    Map<String, String> variables,
    String body,
    Instant dueAt,
    Duration confirmTimeout,
    Duration readTimeout,
    Nudge nudge,
    String summary,
    ReminderState resume,
    Dispatch dispatch,
    QuietHours quietHours) {

  /** Re-send every {@code every} until acknowledged, at most {@code max} times. */
  public record Nudge(Duration every, int max) {}

  /**
   * Dispatch ahead: the workflow queues its send in PostgreSQL {@code ahead} of the due time and the workers'
   * dispatcher sends it at the due time, at the sender's rate, reporting the outcome back; so the due instant costs
   * the Temporal server nothing per reminder. If no outcome came {@code takeover} after the due time, the workflow
   * sends itself (the same attempt key: never twice).
   */
  public record Dispatch(Duration ahead, Duration takeover) {}
}
