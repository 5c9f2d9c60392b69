package dev.norns.whatsapp.workflows.reminder;

import dev.norns.whatsapp.workflows.model.ReminderState;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** The reminder's row in PostgreSQL, the system of record. Run as a local activity: no server round trip. */
@ActivityInterface
public interface ReminderActivities {

  /** Writes the reminder's state to PostgreSQL. Idempotent: the same state written twice is the same row. */
  @ActivityMethod(name = "RecordState")
  void recordState(ReminderState state);
}
