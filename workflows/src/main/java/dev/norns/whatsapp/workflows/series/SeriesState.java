package dev.norns.whatsapp.workflows.series;

import java.time.Instant;

/**
 * A series of recurring reminders as its workflow holds it.
 *
 * @param cursor occurrences at or before it are past: the next one is the first after it
 * @param nextReminderId the reminder made for the coming occurrence (null while there is none: paused, ended, or
 *     between two occurrences)
 * @param nextDueAt that occurrence's due time
 * @param occurrences reminders made so far
 * @param generation bumped by every edit, pause and resume, so an occurrence made again gets a new reminder id
 */
public record SeriesState(
    String seriesId,
    Status status,
    Instant cursor,
    String nextReminderId,
    Instant nextDueAt,
    int occurrences,
    int generation) {

  public enum Status {
    ACTIVE, PAUSED, CANCELLED, ENDED;

    public boolean over() {
      return this == CANCELLED || this == ENDED;
    }
  }

  public static SeriesState active(String seriesId, Instant cursor) {
    return new SeriesState(seriesId, Status.ACTIVE, cursor, null, null, 0, 0);
  }

  SeriesState with(Status next) {
    return new SeriesState(seriesId, next, cursor, nextReminderId, nextDueAt, occurrences, generation);
  }

  /** The coming occurrence has its reminder. */
  public SeriesState pending(String reminderId, Instant dueAt) {
    return new SeriesState(seriesId, status, cursor, reminderId, dueAt, occurrences + 1, generation);
  }

  /** No coming occurrence; the next one is the first after {@code after}. */
  SeriesState cleared(Instant after) {
    return new SeriesState(seriesId, status, after, null, null, occurrences, generation);
  }

  SeriesState nextGeneration() {
    return new SeriesState(seriesId, status, cursor, nextReminderId, nextDueAt, occurrences, generation + 1);
  }
}
