package dev.norns.whatsapp.workflows.reminder;

import dev.norns.whatsapp.workflows.model.DeliveryPlan;
import dev.norns.whatsapp.workflows.model.ReminderState;
import io.temporal.failure.ApplicationFailure;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Bookkeeping activities with a settable session window; records every state written. */
class FakeBookkeeping implements ReminderActivities {
  final List<ReminderState> recorded = new CopyOnWriteArrayList<>();
  volatile boolean windowOpen;
  volatile boolean userGone;
  volatile boolean optedOut;

  @Override
  public DeliveryPlan planDelivery(String userId) {
    if (userGone) {
      throw ApplicationFailure.newNonRetryableFailure("user " + userId + " has no phone number",
          ActivityErrors.USER_UNREACHABLE);
    }
    return new DeliveryPlan("+14155550100", windowOpen,
        windowOpen ? Instant.parse("2099-01-01T00:00:00Z") : null, "database", optedOut);
  }

  @Override
  public void recordState(ReminderState state) {
    recorded.add(state);
  }

  ReminderState last() {
    return recorded.get(recorded.size() - 1);
  }
}
