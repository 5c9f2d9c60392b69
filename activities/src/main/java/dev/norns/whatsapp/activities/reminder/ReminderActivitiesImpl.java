package dev.norns.whatsapp.activities.reminder;

import dev.norns.whatsapp.activities.db.ReminderDao;
import dev.norns.whatsapp.workflows.model.ReminderState;
import dev.norns.whatsapp.workflows.reminder.ReminderActivities;
import dev.norns.whatsapp.activities.metrics.ChannelMetrics;
import dev.norns.whatsapp.workflows.model.ReminderStatus;
import io.temporal.activity.Activity;
import java.time.Duration;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/** Stateless and idempotent: writes the reminder row (run as a local activity by the reminder workflow). */
public final class ReminderActivitiesImpl implements ReminderActivities {

  private final Jdbi jdbi;
  private final ChannelMetrics metrics;

  public ReminderActivitiesImpl(Jdbi jdbi, ChannelMetrics metrics) {
    this.jdbi = jdbi;
    this.metrics = metrics;
  }

  @Override
  public void recordState(ReminderState state) {
    boolean firstSend = state.status() == ReminderStatus.SENT && state.sentAt() != null
        && state.sentAt().equals(state.firstSentAt());
    if (firstSend && Activity.getExecutionContext().getInfo().getAttempt() == 1) {
      metrics.lateness(Duration.between(state.dueAt(), state.sentAt()));
    }
    if (state.isFinal() && Activity.getExecutionContext().getInfo().getAttempt() == 1) {
      metrics.finished(state.status().name(), state.channel() == null ? "none" : state.channel().wireName());
    }
    jdbi.useExtension(ReminderDao.class, dao -> dao.recordState(UUID.fromString(state.reminderId()),
        state.status().name(), state.phase().name(), state.dueAt(),
        state.channel() == null ? null : state.channel().wireName(), state.channelReason(), state.messageSid(),
        state.attempts(), state.lastErrorCode(), state.lastError(), state.sentAt(), state.firstSentAt(),
        state.round(), state.nudgesSent()));
  }
}
