package dev.norns.whatsapp.server.core;

import dev.norns.whatsapp.workflows.series.SeriesActivities;
import dev.norns.whatsapp.workflows.series.SeriesState;
import java.time.Instant;
import java.util.UUID;

/** The series workflow's activities: {@link SeriesService}'s own methods, each idempotent. */
public final class SeriesActivitiesImpl implements SeriesActivities {
  private final SeriesService series;

  public SeriesActivitiesImpl(SeriesService series) {
    this.series = series;
  }

  @Override
  public Instant nextOccurrence(String seriesId, Instant after) {
    return series.nextOccurrence(UUID.fromString(seriesId), after);
  }

  @Override
  public String createOccurrence(String seriesId, Instant dueAt, int generation) {
    return series.createOccurrence(UUID.fromString(seriesId), dueAt, generation);
  }

  @Override
  public boolean withdrawOccurrence(String reminderId) {
    return series.withdraw(reminderId);
  }

  @Override
  public void recordSeries(SeriesState state) {
    series.record(state);
  }
}
