package dev.norns.whatsapp.workflows.reminder;

import dev.norns.whatsapp.workflows.model.OutboundMessage;
import dev.norns.whatsapp.workflows.model.ReminderState;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;
import java.time.Instant;

/**
 * The reminder's rows in PostgreSQL, the system of record: its state, and the send it queued for the workers'
 * dispatcher. Run as local activities: no server round trip.
 */
@ActivityInterface
public interface ReminderActivities {

  /** Writes the reminder's state to PostgreSQL. Idempotent: the same state written twice is the same row. */
  @ActivityMethod(name = "RecordState")
  void recordState(ReminderState state);

  /**
   * Queues {@code message} for the dispatcher to send at {@code dueAt}. Idempotent per attempt key; a queued send not
   * yet taken gets the new due time and content.
   */
  @ActivityMethod(name = "QueueSend")
  void queueSend(OutboundMessage message, Instant dueAt);

  /**
   * Takes a queued send back before the dispatcher has it. False when it is too late: the dispatcher has taken it
   * (it is being sent, or was), and its report is on the way.
   */
  @ActivityMethod(name = "WithdrawSend")
  boolean withdrawSend(String reminderId, String attemptKey);
}
