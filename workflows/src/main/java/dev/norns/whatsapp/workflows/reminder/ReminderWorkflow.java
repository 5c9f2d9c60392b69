package dev.norns.whatsapp.workflows.reminder;

import dev.norns.whatsapp.workflows.model.DeliveryUpdate;
import dev.norns.whatsapp.workflows.model.ReminderInput;
import dev.norns.whatsapp.workflows.model.ReminderState;
import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.time.Instant;

/**
 * One reminder: waits until due, sends through WhatsApp (freeform in the session window, template outside it) and
 * follows Twilio's status callbacks to a final state. Workflow id: {@code reminder:<reminder id>}.
 */
@WorkflowInterface
public interface ReminderWorkflow {

  @WorkflowMethod(name = "Reminder")
  ReminderState run(ReminderInput input);

  /** Cancels the reminder; ignored once sending has begun. */
  @SignalMethod(name = "cancel")
  void cancel();

  /** Moves the due time; ignored once sending has begun. */
  @SignalMethod(name = "reschedule")
  void reschedule(Instant newDueAt);

  /** The user replied "done" to it. */
  @SignalMethod(name = "acknowledge")
  void acknowledge();

  /** The user asked to be reminded again at {@code until} ("snooze 30m", "tomorrow 9am"). */
  @SignalMethod(name = "snooze")
  void snooze(Instant until);

  /** The user replied "cancel" after receiving it: no more nudges, status CANCELLED. */
  @SignalMethod(name = "dismiss")
  void dismiss();

  /** The user sent STOP: end without sending (anything more). */
  @SignalMethod(name = "optOut")
  void optOut();

  /** A Twilio status callback for one of this reminder's messages. */
  @SignalMethod(name = "deliveryStatus")
  void deliveryStatus(DeliveryUpdate update);

  @QueryMethod(name = "getState")
  ReminderState getState();
}
