package dev.norns.whatsapp.activities.reminder;

import dev.norns.whatsapp.activities.db.ReminderDao;
import dev.norns.whatsapp.workflows.model.ReminderState;
import dev.norns.whatsapp.workflows.reminder.ReminderActivities;
import dev.norns.whatsapp.activities.metrics.ChannelMetrics;
import io.temporal.activity.Activity;
import dev.norns.whatsapp.workflows.model.OutboundMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/**
 * Stateless and idempotent: writes the reminder row and its queued send (run as local activities by the reminder
 * workflow).
 */
public final class ReminderActivitiesImpl implements ReminderActivities {

  private final Jdbi jdbi;
  private final ChannelMetrics metrics;
  private final Runnable wake;

  /** {@code wake}: tells the dispatcher a send is due already (null: it finds it at its next poll). */
  public ReminderActivitiesImpl(Jdbi jdbi, ChannelMetrics metrics, Runnable wake) {
    this.jdbi = jdbi;
    this.metrics = metrics;
    this.wake = wake;
  }

  @Override
  public void recordState(ReminderState state) {
    boolean firstSend = jdbi.withExtension(ReminderDao.class, dao -> dao.recordState(
        UUID.fromString(state.reminderId()), state.status().name(), state.phase().name(), state.dueAt(),
        state.channel() == null ? null : state.channel().wireName(), state.channelReason(), state.messageSid(),
        state.attempts(), state.lastErrorCode(), state.lastError(), state.sentAt(), state.firstSentAt(),
        state.round(), state.nudgesSent(), state.deferredUntil(), state.deferredReason())).orElse(false);
    if (firstSend) {
      metrics.lateness(Duration.between(state.sendAt(), state.firstSentAt()));
    }
    if (state.isFinal() && Activity.getExecutionContext().getInfo().getAttempt() == 1) {
      metrics.finished(state.status().name(), state.channel() == null ? "none" : state.channel().wireName());
    }
  }

  @Override
  public void queueSend(OutboundMessage message, Instant dueAt) {
    SendQueue.queue(jdbi, message, dueAt);
    if (wake != null && !dueAt.isAfter(Instant.now())) {
      wake.run();
    }
  }

  @Override
  public boolean withdrawSend(String reminderId, String attemptKey) {
    return SendQueue.withdraw(jdbi, UUID.fromString(reminderId), attemptKey);
  }
}
