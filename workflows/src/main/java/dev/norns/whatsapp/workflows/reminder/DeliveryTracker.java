package dev.norns.whatsapp.workflows.reminder;

import dev.norns.whatsapp.workflows.model.DeliveryStatus;
import dev.norns.whatsapp.workflows.model.DeliveryUpdate;
import dev.norns.whatsapp.workflows.model.ReminderState;
import dev.norns.whatsapp.workflows.model.ReminderStatus;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Twilio's status callbacks as a reminder sees them: kept per SID (one can arrive before the send activity has
 * returned the SID), merged as a one-way maximum, and turned into the reminder's status. Plain workflow-thread state:
 * deterministic.
 */
final class DeliveryTracker {
  private static final List<ReminderStatus> PROGRESS = List.of(ReminderStatus.SENT, ReminderStatus.UNCONFIRMED,
      ReminderStatus.DELIVERED, ReminderStatus.READ);
  private final Map<String, DeliveryUpdate> latestBySid = new HashMap<>();

  /** Keeps a callback; returns it merged with what was known of that message (null if it carries nothing). */
  DeliveryUpdate remember(DeliveryUpdate update) {
    if (update == null || update.messageSid() == null || update.status() == null) {
      return null;
    }
    DeliveryUpdate known = latestBySid.get(update.messageSid());
    if (known != null && known.status() != null && known.status().merge(update.status()) != update.status()) {
      update = known;
    }
    latestBySid.put(update.messageSid(), update);
    return update;
  }

  /** The latest status known for {@code sid} merged onto what Twilio answered at send time. */
  DeliveryStatus known(String sid, DeliveryStatus atSend) {
    DeliveryUpdate early = latestBySid.get(sid);
    DeliveryStatus base = atSend == null ? DeliveryStatus.QUEUED : atSend;
    return early == null ? base : base.merge(early.status());
  }

  /** The reminder's state once {@code status} is known for its current message. */
  ReminderState apply(ReminderState state, DeliveryStatus status) {
    if (status == null || state.status() == ReminderStatus.FAILED) {
      return state;
    }
    return switch (status) {
      case DELIVERED -> raise(state, ReminderStatus.DELIVERED);
      case READ -> raise(state, ReminderStatus.READ);
      case FAILED, UNDELIVERED, CANCELED -> {
        DeliveryUpdate update = latestBySid.get(state.messageSid());
        String code = update != null && update.errorCode() != null ? update.errorCode() : status.twilioName();
        String reason = update != null && update.errorMessage() != null
            ? update.errorMessage() : "Twilio reported the message " + status.twilioName();
        yield state.withStatus(ReminderStatus.FAILED).withError(code, reason);
      }
      default -> state;
    };
  }

  private static ReminderState raise(ReminderState state, ReminderStatus next) {
    boolean forward = PROGRESS.contains(state.status()) && PROGRESS.indexOf(next) > PROGRESS.indexOf(state.status());
    return forward ? state.withStatus(next) : state;
  }
}
