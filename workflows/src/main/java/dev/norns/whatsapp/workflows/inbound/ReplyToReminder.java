package dev.norns.whatsapp.workflows.inbound;

import java.time.Instant;

/**
 * A user's DONE, SNOOZE or CANCEL for one reminder.
 *
 * @param receivedAt when Twilio received it: the reminder judges it as of then, whatever the processing delay
 * @param confirmation what to answer when the reminder accepts it
 */
public record ReplyToReminder(String reminderId, Interpretation.Kind kind, Instant snoozeUntil, Instant receivedAt,
    String confirmation) {}
