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

  /** The dispatcher's queue as the workflow left it: attempt key to the queued message. */
  final java.util.Map<String, dev.norns.whatsapp.workflows.model.OutboundMessage> queued =
      new java.util.concurrent.ConcurrentHashMap<>();
  /** Attempt keys the dispatcher has taken: too late to withdraw. */
  final java.util.Set<String> taken = java.util.concurrent.ConcurrentHashMap.newKeySet();
  final List<java.time.Instant> queuedDue = new CopyOnWriteArrayList<>();

  @Override
  public void queueSend(dev.norns.whatsapp.workflows.model.OutboundMessage message, java.time.Instant dueAt) {
    queued.put(message.attemptKey(), message);
    queuedDue.add(dueAt);
  }

  @Override
  public boolean withdrawSend(String reminderId, String attemptKey) {
    if (taken.contains(attemptKey)) {
      return false;
    }
    queued.remove(attemptKey);
    return true;
  }

  ReminderState last() {
    return recorded.get(recorded.size() - 1);
  }
}
