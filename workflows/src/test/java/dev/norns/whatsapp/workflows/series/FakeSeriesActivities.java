package dev.norns.whatsapp.workflows.series;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A daily rule from {@link #origin} (every {@link #every}, at most {@link #count} occurrences when set), reminders made
 * in memory: what the series workflow asked for is in {@link #made}, {@link #withdrawn} and {@link #recorded}.
 */
public final class FakeSeriesActivities implements SeriesActivities {
  public record Made(String reminderId, Instant dueAt, int generation) {}

  volatile Instant origin;
  volatile Duration every = Duration.ofDays(1);
  volatile Integer count;
  volatile boolean sendingNow;
  final List<Made> made = new CopyOnWriteArrayList<>();
  final List<String> withdrawn = new CopyOnWriteArrayList<>();
  final List<SeriesState> recorded = new CopyOnWriteArrayList<>();

  @Override
  public Instant nextOccurrence(String seriesId, Instant after) {
    long steps = after.isBefore(origin) ? 0 : Duration.between(origin, after).toMillis() / every.toMillis() + 1;
    if (count != null && steps >= count) {
      return null;
    }
    return origin.plus(every.multipliedBy(steps));
  }

  @Override
  public synchronized String createOccurrence(String seriesId, Instant dueAt, int generation) {
    String id = seriesId + "@" + dueAt + "#" + generation;
    if (made.stream().noneMatch(m -> m.reminderId().equals(id))) {
      made.add(new Made(id, dueAt, generation));
    }
    return id;
  }

  @Override
  public boolean withdrawOccurrence(String reminderId) {
    if (sendingNow) {
      return false;
    }
    withdrawn.add(reminderId);
    return true;
  }

  @Override
  public void recordSeries(SeriesState state) {
    recorded.add(state);
  }
}
