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
    ReminderState resume) {

  /** Re-send every {@code every} until acknowledged, at most {@code max} times. */
  public record Nudge(Duration every, int max) {}
}
