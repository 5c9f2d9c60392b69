package dev.norns.whatsapp.workflows.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.time.Instant;

/**
 * The reminder as the {@code getState} query, the command updates and PostgreSQL see it. It is also what a new
 * workflow resumes from when PostgreSQL starts a reminder again ({@link ReminderInput#resume()}).
 *
 * @param dueAt when the next send is due (the snooze time while snoozed)
 * @param channelReason why that channel was chosen (window open until…, outside the window, 63016 fallback)
 * @param attempts sends tried at Twilio (the 63016 fallback and nudges count)
 * @param sentAt when the current round's message went out
 * @param firstSentAt when the user was first sent it: replies received before it are not about it
 * @param round 1 for the first send, +1 after each snooze; it names the round's send keys
 * @param nudgesSent nudges sent in this round
 */
public record ReminderState(
    String reminderId,
    ReminderStatus status,
    Phase phase,
    Instant dueAt,
    Channel channel,
    String channelReason,
    String messageSid,
    int attempts,
    String lastErrorCode,
    String lastError,
    Instant sentAt,
    Instant firstSentAt,
    int round,
    int nudgesSent) {

  public static ReminderState scheduled(String reminderId, Instant dueAt) {
    return new ReminderState(reminderId, ReminderStatus.SCHEDULED, Phase.SCHEDULED, dueAt, null, null, null, 0, null,
        null, null, null, 1, 0);
  }

  /** The workflow has nothing left to do. Not a field of the record: derived from the phase. */
  @JsonIgnore
  public boolean isFinal() {
    return phase == Phase.DONE;
  }

  public ReminderState with(ReminderStatus nextStatus, Phase nextPhase) {
    return new ReminderState(reminderId, nextStatus, nextPhase, dueAt, channel, channelReason, messageSid, attempts,
        lastErrorCode, lastError, sentAt, firstSentAt, round, nudgesSent);
  }

  public ReminderState withStatus(ReminderStatus next) {
    return with(next, phase);
  }

  public ReminderState withDueAt(Instant next) {
    return new ReminderState(reminderId, status, phase, next, channel, channelReason, messageSid, attempts,
        lastErrorCode, lastError, sentAt, firstSentAt, round, nudgesSent);
  }

  public ReminderState withChannel(Channel next, String reason) {
    return new ReminderState(reminderId, status, phase, dueAt, next, reason, messageSid, attempts, lastErrorCode,
        lastError, sentAt, firstSentAt, round, nudgesSent);
  }

  public ReminderState withAttempt() {
    return new ReminderState(reminderId, status, phase, dueAt, channel, channelReason, messageSid, attempts + 1,
        lastErrorCode, lastError, sentAt, firstSentAt, round, nudgesSent);
  }

  public ReminderState withMessage(String sid, Instant at) {
    return new ReminderState(reminderId, status, phase, dueAt, channel, channelReason, sid, attempts, lastErrorCode,
        lastError, at, firstSentAt == null ? at : firstSentAt, round, nudgesSent);
  }

  public ReminderState withError(String code, String message) {
    return new ReminderState(reminderId, status, phase, dueAt, channel, channelReason, messageSid, attempts, code,
        message, sentAt, firstSentAt, round, nudgesSent);
  }

  /** The next round after a snooze: due at {@code at}, no nudges sent yet. */
  public ReminderState nextRound(Instant at) {
    return new ReminderState(reminderId, ReminderStatus.SNOOZED, Phase.SNOOZED, at, channel, channelReason,
        messageSid, attempts, lastErrorCode, lastError, sentAt, firstSentAt, round + 1, 0);
  }

  public ReminderState withNudge() {
    return new ReminderState(reminderId, status, phase, dueAt, channel, channelReason, messageSid, attempts,
        lastErrorCode, lastError, sentAt, firstSentAt, round, nudgesSent + 1);
  }
}
