package dev.norns.whatsapp.workflows.model;

/**
 * What the dispatcher made of a send the reminder queued ({@link ReminderInput.Dispatch}): the outcome of the
 * attempt, with the latest delivery status Twilio reported for it meanwhile; or, when the outcome is null, the send
 * handed back to the workflow (Twilio failed transiently, or an earlier try is unsettled) with the reason, so the
 * workflow's own send activity retries it under its retry policy.
 */
public record DispatchReport(String attemptKey, SendOutcome outcome, DeliveryUpdate delivery, String handedBack) {

  public static DispatchReport sent(String attemptKey, SendOutcome outcome, DeliveryUpdate delivery) {
    return new DispatchReport(attemptKey, outcome, delivery, null);
  }

  public static DispatchReport handBack(String attemptKey, String reason) {
    return new DispatchReport(attemptKey, null, null, reason);
  }
}
