package dev.norns.whatsapp.workflows.reminder;

import dev.norns.whatsapp.workflows.model.DeliveryUpdate;
import dev.norns.whatsapp.workflows.model.ReminderState;
import java.util.HashMap;
import java.util.Map;

/**
 * Twilio's status callbacks as a reminder sees them: kept per SID (one can arrive before the send activity has
 * returned the SID), merged as a one-way maximum ({@code DeliveryStatus.merge}), and turned into the reminder's status
 * by the one progress rule ({@code ReminderStatus.after}). Plain workflow-thread state: deterministic.
 */
final class DeliveryTracker {
  private final Map<String, DeliveryUpdate> latestBySid = new HashMap<>();

  /** Keeps a callback; returns it merged with what was known of that message (null if it carries nothing). */
  DeliveryUpdate remember(DeliveryUpdate update) {
    if (update == null || update.messageSid() == null || update.status() == null) {
      return null;
    }
    DeliveryUpdate known = latestBySid.get(update.messageSid());
    if (known != null && known.status().merge(update.status()) != update.status()) {
      update = known;
    }
    latestBySid.put(update.messageSid(), update);
    return update;
  }

  /** What is known of {@code sid} so far (a callback can beat the send activity's answer), or null. */
  DeliveryUpdate known(String sid) {
    return sid == null ? null : latestBySid.get(sid);
  }

  /** The reminder's state once {@code update} is known for its current message. */
  ReminderState apply(ReminderState state, DeliveryUpdate update) {
    if (update == null) {
      return state;
    }
    ReminderState next = state.withStatus(state.status().after(update.status()));
    if (next.status() != state.status() && update.status().isTerminal()) {
      String code = update.errorCode() != null ? update.errorCode() : update.status().twilioName();
      String reason = update.errorMessage() != null ? update.errorMessage()
          : "Twilio reported the message " + update.status().twilioName();
      next = next.withError(code, reason);
    }
    return next;
  }
}
