package dev.norns.whatsapp.workflows.model;

import java.time.Instant;

/**
 * The reminder as the {@code getState} query and PostgreSQL see it.
 *
 * @param channelReason why that channel was chosen (window open until…, outside the window, 63016 fallback)
 * @param attempts sends tried at Twilio (the 63016 fallback counts as a second)
 */
public record ReminderState(
    String reminderId,
    ReminderStatus status,
    Instant dueAt,
    Channel channel,
    String channelReason,
    String messageSid,
    int attempts,
    String lastErrorCode,
    String lastError,
    Instant sentAt) {

  public static ReminderState scheduled(String reminderId, Instant dueAt) {
    return new ReminderState(reminderId, ReminderStatus.SCHEDULED, dueAt, null, null, null, 0, null, null, null);
  }

  public ReminderState withStatus(ReminderStatus next) {
    return new ReminderState(reminderId, next, dueAt, channel, channelReason, messageSid, attempts, lastErrorCode,
        lastError, sentAt);
  }

  public ReminderState withDueAt(Instant next) {
    return new ReminderState(reminderId, status, next, channel, channelReason, messageSid, attempts, lastErrorCode,
        lastError, sentAt);
  }

  public ReminderState withChannel(Channel next, String reason) {
    return new ReminderState(reminderId, status, dueAt, next, reason, messageSid, attempts, lastErrorCode, lastError,
        sentAt);
  }

  public ReminderState withAttempt() {
    return new ReminderState(reminderId, status, dueAt, channel, channelReason, messageSid, attempts + 1,
        lastErrorCode, lastError, sentAt);
  }

  public ReminderState withMessage(String sid, Instant at) {
    return new ReminderState(reminderId, status, dueAt, channel, channelReason, sid, attempts, lastErrorCode,
        lastError, at);
  }

  public ReminderState withError(String code, String message) {
    return new ReminderState(reminderId, status, dueAt, channel, channelReason, messageSid, attempts, code, message,
        sentAt);
  }
}
