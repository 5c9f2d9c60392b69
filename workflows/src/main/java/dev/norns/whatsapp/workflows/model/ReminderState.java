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
 * @param deferredUntil when the send due at {@code dueAt} goes out instead, because {@code dueAt} falls in the user's
 *     quiet hours; null when it is not deferred
 * @param deferredReason why, e.g. "quiet hours 21:00–08:00 Europe/London"
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
    int nudgesSent,
    Instant deferredUntil,
    String deferredReason) {

  public static ReminderState scheduled(String reminderId, Instant dueAt) {
    return new ReminderState(reminderId, ReminderStatus.SCHEDULED, Phase.SCHEDULED, dueAt, null, null, null, 0, null,
        null, null, null, 1, 0, null, null);
  }

  /** The workflow has nothing left to do. Not a field of the record: derived from the phase. */
  @JsonIgnore
  public boolean isFinal() {
    return phase == Phase.DONE;
  }

  public ReminderState with(ReminderStatus nextStatus, Phase nextPhase) {
    return new ReminderState(reminderId, nextStatus, nextPhase, dueAt, channel, channelReason, messageSid, attempts,
        lastErrorCode, lastError, sentAt, firstSentAt, round, nudgesSent, deferredUntil, deferredReason);
  }

  public ReminderState withStatus(ReminderStatus next) {
    return with(next, phase);
  }

  /** Due at {@code next}, not deferred (the workflow then checks the new time against the quiet hours). */
  public ReminderState withDueAt(Instant next) {
    return new ReminderState(reminderId, status, phase, next, channel, channelReason, messageSid, attempts,
        lastErrorCode, lastError, sentAt, firstSentAt, round, nudgesSent, null, null);
  }

  /** The send due at {@code dueAt} goes out at {@code until} instead (null: at {@code dueAt}), for {@code reason}. */
  public ReminderState deferred(Instant until, String reason) {
    return new ReminderState(reminderId, status, phase, dueAt, channel, channelReason, messageSid, attempts,
        lastErrorCode, lastError, sentAt, firstSentAt, round, nudgesSent, until, until == null ? null : reason);
  }

  /** When the next send goes out: the due time, or the end of the quiet hours it fell in. */
  @JsonIgnore
  public Instant sendAt() {
    return deferredUntil != null ? deferredUntil : dueAt;
  }

  public ReminderState withChannel(Channel next, String reason) {
    return new ReminderState(reminderId, status, phase, dueAt, next, reason, messageSid, attempts, lastErrorCode,
        lastError, sentAt, firstSentAt, round, nudgesSent, deferredUntil, deferredReason);
  }

  public ReminderState withAttempt() {
    return new ReminderState(reminderId, status, phase, dueAt, channel, channelReason, messageSid, attempts + 1,
        lastErrorCode, lastError, sentAt, firstSentAt, round, nudgesSent, deferredUntil, deferredReason);
  }

  public ReminderState withMessage(String sid, Instant at) {
    return new ReminderState(reminderId, status, phase, dueAt, channel, channelReason, sid, attempts, lastErrorCode,
        lastError, at, firstSentAt == null ? at : firstSentAt, round, nudgesSent, deferredUntil, deferredReason);
  }

  public ReminderState withError(String code, String message) {
    return new ReminderState(reminderId, status, phase, dueAt, channel, channelReason, messageSid, attempts, code,
        message, sentAt, firstSentAt, round, nudgesSent, deferredUntil, deferredReason);
  }

  /** The next round after a snooze: due at {@code at}, no nudges sent yet. */
  public ReminderState nextRound(Instant at) {
    return new ReminderState(reminderId, ReminderStatus.SNOOZED, Phase.SNOOZED, at, channel, channelReason,
        messageSid, attempts, lastErrorCode, lastError, sentAt, firstSentAt, round + 1, 0, null, null);
  }

  public ReminderState withNudge() {
    return new ReminderState(reminderId, status, phase, dueAt, channel, channelReason, messageSid, attempts,
        lastErrorCode, lastError, sentAt, firstSentAt, round, nudgesSent + 1, deferredUntil, deferredReason);
  }
}
