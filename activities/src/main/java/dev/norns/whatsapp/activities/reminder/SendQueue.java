package dev.norns.whatsapp.activities.reminder;

import dev.norns.whatsapp.workflows.model.OutboundMessage;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/**
 * The {@code send_queue} rows the dispatcher sends from: queued by the reminder's workflow ahead of the due time, and by
 * the API as soon as a reminder due within that lead is started (so a burst scheduled minutes before it falls due does
 * not wait for each workflow's first task); both write the same row, keyed by the attempt.
 */
public final class SendQueue {
  private SendQueue() {}

  /**
   * Queues {@code message} for {@code dueAt}. Idempotent per attempt key: a row not yet taken gets the new due time and
   * content; an attempt already sent (a {@code messages} row exists) is not queued again.
   */
  public static void queue(Jdbi jdbi, OutboundMessage message, Instant dueAt) {
    UUID reminder = UUID.fromString(message.reminderId());
    jdbi.useHandle(handle -> handle.createUpdate("""
        INSERT INTO send_queue (reminder_id, attempt_key, due_at, message)
        SELECT :reminder, :key, :due, CAST(:message AS jsonb)
         WHERE NOT EXISTS (SELECT 1 FROM messages WHERE reminder_id = :reminder AND attempt_key = :key)
        ON CONFLICT (reminder_id, attempt_key) DO UPDATE SET due_at = excluded.due_at, message = excluded.message
         WHERE send_queue.taken_by IS NULL""")
        .bind("reminder", reminder).bind("key", message.attemptKey())
        .bind("due", dueAt.atOffset(ZoneOffset.UTC)).bind("message", Payloads.write(message)).execute());
  }

  /**
   * Takes a queued send back before the dispatcher has it: true when it is gone and was never sent (or never queued),
   * false when the dispatcher has taken it or sent it (its report is on the way).
   */
  public static boolean withdraw(Jdbi jdbi, UUID reminder, String attemptKey) {
    return jdbi.withHandle(handle -> {
      int deleted = handle.createUpdate("""
          DELETE FROM send_queue WHERE reminder_id = :reminder AND attempt_key = :key AND taken_by IS NULL""")
          .bind("reminder", reminder).bind("key", attemptKey).execute();
      if (deleted > 0) {
        return true;
      }
      return handle.createQuery("""
          SELECT NOT EXISTS (SELECT 1 FROM send_queue WHERE reminder_id = :reminder AND attempt_key = :key)
             AND NOT EXISTS (SELECT 1 FROM messages WHERE reminder_id = :reminder AND attempt_key = :key)""")
          .bind("reminder", reminder).bind("key", attemptKey).mapTo(Boolean.class).one();
    });
  }
}
