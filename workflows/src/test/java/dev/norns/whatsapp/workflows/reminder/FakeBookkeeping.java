package dev.norns.whatsapp.workflows.reminder;

import dev.norns.whatsapp.workflows.model.ReminderState;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The bookkeeping local activity: records every state written. */
class FakeBookkeeping implements ReminderActivities {
  final List<ReminderState> recorded = new CopyOnWriteArrayList<>();
  /** Calls still to fail, as PostgreSQL down would. */
  final java.util.concurrent.atomic.AtomicInteger failures = new java.util.concurrent.atomic.AtomicInteger();

  @Override
  public void recordState(ReminderState state) {
    if (failures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      throw new IllegalStateException("PostgreSQL unreachable");
    }
    recorded.add(state);
  }

  ReminderState last() {
    return recorded.get(recorded.size() - 1);
  }
}
