package dev.norns.whatsapp.activities.reminder;

import dev.norns.whatsapp.activities.db.ReminderDao;
import dev.norns.whatsapp.activities.db.UserDao;
import dev.norns.whatsapp.activities.db.UserRow;
import dev.norns.whatsapp.activities.phone.PhoneNumbers;
import dev.norns.whatsapp.activities.session.SessionWindow;
import dev.norns.whatsapp.activities.session.SessionWindows;
import dev.norns.whatsapp.workflows.model.DeliveryPlan;
import dev.norns.whatsapp.workflows.model.ReminderState;
import dev.norns.whatsapp.workflows.reminder.ActivityErrors;
import dev.norns.whatsapp.workflows.reminder.ReminderActivities;
import dev.norns.whatsapp.activities.metrics.ChannelMetrics;
import dev.norns.whatsapp.workflows.model.ReminderStatus;
import io.temporal.activity.Activity;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Stateless and idempotent: reads the user and window, writes the reminder row. */
public final class ReminderActivitiesImpl implements ReminderActivities {
  private static final Logger log = LoggerFactory.getLogger(ReminderActivitiesImpl.class);

  private final Jdbi jdbi;
  private final SessionWindows sessions;
  private final ChannelMetrics metrics;

  public ReminderActivitiesImpl(Jdbi jdbi, SessionWindows sessions, ChannelMetrics metrics) {
    this.jdbi = jdbi;
    this.sessions = sessions;
    this.metrics = metrics;
  }

  @Override
  public DeliveryPlan planDelivery(String userId) {
    Optional<UserRow> user = jdbi.withExtension(UserDao.class, dao -> dao.find(UUID.fromString(userId)));
    if (user.isEmpty() || user.get().phoneNumber() == null) {
      log.warn("whatsapp resolve_user user={} failed: {}", userId, user.isEmpty() ? "no such user" : "no phone");
      throw ApplicationFailure.newNonRetryableFailure(
          user.isEmpty() ? "user " + userId + " no longer exists" : "user " + userId + " has no phone number",
          ActivityErrors.USER_UNREACHABLE);
    }
    String phone = user.get().phoneNumber();
    SessionWindow window = sessions.lookup(phone);
    log.info("whatsapp session phone={} status={} expires={} source={}", PhoneNumbers.mask(phone),
        window.open() ? "IN_WINDOW" : "OUTSIDE_WINDOW", window.windowExpiresAt(), window.source());
    return new DeliveryPlan(phone, window.open(), window.windowExpiresAt(), window.source(),
        user.get().optedOutAt() != null);
  }

  @Override
  public void recordState(ReminderState state) {
    boolean firstSend = state.status() == ReminderStatus.SENT && state.sentAt() != null
        && (state.channelReason() == null || !state.channelReason().startsWith("nudge"));
    if (firstSend && Activity.getExecutionContext().getInfo().getAttempt() == 1) {
      metrics.lateness(Duration.between(state.dueAt(), state.sentAt()));
    }
    jdbi.useExtension(ReminderDao.class, dao -> dao.recordState(UUID.fromString(state.reminderId()),
        state.status().name(), state.dueAt(), state.channel() == null ? null : state.channel().wireName(),
        state.channelReason(), state.messageSid(), state.attempts(), state.lastErrorCode(), state.lastError(),
        state.sentAt()));
  }
}
