package dev.norns.whatsapp.workflows.reminder;

import dev.norns.whatsapp.workflows.model.DeliveryUpdate;
import dev.norns.whatsapp.workflows.model.DispatchReport;
import dev.norns.whatsapp.workflows.model.ReminderEdit;
import dev.norns.whatsapp.workflows.model.ReminderInput;
import dev.norns.whatsapp.workflows.model.ReminderState;
import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.UpdateMethod;
import io.temporal.workflow.UpdateValidatorMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.time.Instant;

/**
 * One reminder: waits until due, sends through WhatsApp (freeform in the session window, template outside it),
 * follows Twilio's status callbacks, waits for the user's reply (nudging meanwhile) and ends in a final state.
 * Workflow id: {@code reminder:<reminder id>}.
 *
 * <p>Every command a caller must see confirmed is an Update: its validator refuses, with the reason, what the
 * reminder's current phase does not allow, and an accepted one answers with the reminder's state after it. Replies
 * carry when the user sent them, so they are judged as of that moment. Twilio's callbacks and STOP are signals.
 */
@WorkflowInterface
public interface ReminderWorkflow {

  @WorkflowMethod(name = "Reminder")
  ReminderState run(ReminderInput input);

  /** Cancels it: before it is sent, or afterwards to stop its nudges and snoozes. */
  @UpdateMethod(name = "cancel")
  ReminderState cancel();

  @UpdateValidatorMethod(updateName = "cancel")
  void validateCancel();

  /** Moves the due time of a reminder waiting to be sent (scheduled or snoozed). */
  @UpdateMethod(name = "reschedule")
  ReminderState reschedule(Instant dueAt);

  @UpdateValidatorMethod(updateName = "reschedule")
  void validateReschedule(Instant dueAt);

  /** Changes the text, variables or template of a reminder waiting to be sent. */
  @UpdateMethod(name = "edit")
  ReminderState edit(ReminderEdit edit);

  @UpdateValidatorMethod(updateName = "edit")
  void validateEdit(ReminderEdit edit);

  /** The user replied "done" at {@code receivedAt}. */
  @UpdateMethod(name = "acknowledge")
  ReminderState acknowledge(Instant receivedAt);

  @UpdateValidatorMethod(updateName = "acknowledge")
  void validateAcknowledge(Instant receivedAt);

  /** The user asked, at {@code receivedAt}, to be reminded again at {@code until}; a second snooze moves the first. */
  @UpdateMethod(name = "snooze")
  ReminderState snooze(Instant until, Instant receivedAt);

  @UpdateValidatorMethod(updateName = "snooze")
  void validateSnooze(Instant until, Instant receivedAt);

  /** The user replied "cancel" at {@code receivedAt}: no more nudges or snoozes, CANCELLED. */
  @UpdateMethod(name = "dismiss")
  ReminderState dismiss(Instant receivedAt);

  @UpdateValidatorMethod(updateName = "dismiss")
  void validateDismiss(Instant receivedAt);

  /** The user sent STOP: end without sending anything more. */
  @SignalMethod(name = "optOut")
  void optOut();

  /** A Twilio status callback for one of this reminder's messages (relayed from PostgreSQL until accepted). */
  @SignalMethod(name = "deliveryStatus")
  void deliveryStatus(DeliveryUpdate update);

  /** What the dispatcher made of a send this reminder queued (relayed from PostgreSQL until accepted). */
  @SignalMethod(name = "dispatched")
  void dispatched(DispatchReport report);

  @QueryMethod(name = "getState")
  ReminderState getState();
}
