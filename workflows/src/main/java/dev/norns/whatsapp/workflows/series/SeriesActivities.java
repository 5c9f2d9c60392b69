package dev.norns.whatsapp.workflows.series;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;
import java.time.Instant;

/** What a series workflow asks of the world: the rule's next time, and the reminders it makes and takes back. */
@ActivityInterface(namePrefix = "Series")
public interface SeriesActivities {

  /** The series' first occurrence after {@code after} by its current rule, in its time zone; null when none is left. */
  @ActivityMethod
  Instant nextOccurrence(String seriesId, Instant after);

  /**
   * Makes (or finds, if made already) the reminder for the occurrence due at {@code dueAt} with the series' current
   * content; its id follows from the series, the due time and {@code generation}. Returns the reminder id.
   */
  @ActivityMethod
  String createOccurrence(String seriesId, Instant dueAt, int generation);

  /**
   * Cancels the occurrence's reminder if it has not been sent yet. True when it was cancelled (or is over already),
   * false when it is being sent or was sent: that occurrence goes on.
   */
  @ActivityMethod
  boolean withdrawOccurrence(String reminderId);

  /** Writes the series' state to PostgreSQL. */
  @ActivityMethod
  void recordSeries(SeriesState state);
}
