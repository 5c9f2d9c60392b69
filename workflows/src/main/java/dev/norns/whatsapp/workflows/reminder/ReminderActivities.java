package dev.norns.whatsapp.workflows.reminder;

import dev.norns.whatsapp.workflows.model.DeliveryPlan;
import dev.norns.whatsapp.workflows.model.ReminderState;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** Bookkeeping around a reminder: who to send to, and the system of record. Runs on the reminders task queue. */
@ActivityInterface
public interface ReminderActivities {

  /**
   * Resolves the user's phone and reads their session window (Redis first, PostgreSQL on a miss or when Redis is
   * down). Fails non-retryably with type {@link ActivityErrors#USER_UNREACHABLE} when the user or phone is gone.
   */
  @ActivityMethod(name = "PlanDelivery")
  DeliveryPlan planDelivery(String userId);

  /** Writes the reminder's state to PostgreSQL. Idempotent: the same state written twice is the same row. */
  @ActivityMethod(name = "RecordState")
  void recordState(ReminderState state);
}
