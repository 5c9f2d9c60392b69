package dev.norns.whatsapp.workflows.reminder;

import dev.norns.whatsapp.workflows.model.ReminderState;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The bookkeeping local activity: records every state written. */
class FakeBookkeeping implements ReminderActivities {
  final List<ReminderState> recorded = new CopyOnWriteArrayList<>();

  @Override
  public void recordState(ReminderState state) {
    recorded.add(state);
  }

  ReminderState last() {
    return recorded.get(recorded.size() - 1);
  }
}
