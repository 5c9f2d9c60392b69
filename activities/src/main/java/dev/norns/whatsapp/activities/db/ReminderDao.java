package dev.norns.whatsapp.activities.db;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

@RegisterConstructorMapper(ReminderRow.class)
public interface ReminderDao {
  String COLUMNS = """
      id, user_id, template_name, variables::text AS variables, body, due_at, status, channel, channel_reason,
      message_sid, attempts, last_error_code, last_error, sent_at, idempotency_key, created_at, updated_at,
      nudge_every_seconds, nudge_max, acknowledged_at""";

  /** Inserts a SCHEDULED reminder; false when the idempotency key is taken (the existing reminder wins). */
  @SqlUpdate("""
      INSERT INTO reminders (id, user_id, template_name, variables, body, due_at, status, idempotency_key,
                             nudge_every_seconds, nudge_max)
      VALUES (:id, :userId, :templateName, CAST(:variables AS jsonb), :body, :dueAt, 'SCHEDULED', :idempotencyKey,
              :nudgeEvery, :nudgeMax)
      ON CONFLICT (idempotency_key) DO NOTHING""")
  boolean insert(@Bind("id") UUID id, @Bind("userId") UUID userId, @Bind("templateName") String templateName,
      @Bind("variables") String variablesJson, @Bind("body") String body, @Bind("dueAt") Instant dueAt,
      @Bind("idempotencyKey") String idempotencyKey, @Bind("nudgeEvery") Integer nudgeEverySeconds,
      @Bind("nudgeMax") Integer nudgeMax);

  @SqlQuery("SELECT " + COLUMNS + " FROM reminders WHERE id = :id")
  Optional<ReminderRow> find(@Bind("id") UUID id);

  @SqlQuery("SELECT " + COLUMNS + " FROM reminders WHERE idempotency_key = :key")
  Optional<ReminderRow> findByIdempotencyKey(@Bind("key") String key);

  @SqlQuery("SELECT " + COLUMNS + " " + """
       FROM reminders
       WHERE (CAST(:userId AS uuid) IS NULL OR user_id = :userId)
         AND (CAST(:status AS text) IS NULL OR status = :status)
       ORDER BY due_at DESC, id LIMIT :limit""")
  List<ReminderRow> list(@Bind("userId") UUID userId, @Bind("status") String status, @Bind("limit") int limit);

  /** Reminders whose workflow still has work to do: what a restart must start again. */
  @SqlQuery("SELECT " + COLUMNS + " FROM reminders WHERE status IN ('SCHEDULED', 'SENDING', 'SENT') ORDER BY due_at")
  List<ReminderRow> notFinal();

  /** The workflow's view of the reminder. Idempotent: writing the same state twice leaves the same row. */
  @SqlUpdate("""
      UPDATE reminders
         SET status = :status, due_at = :dueAt, channel = :channel, channel_reason = :channelReason,
             message_sid = :messageSid, attempts = :attempts, last_error_code = :lastErrorCode,
             last_error = :lastError, sent_at = :sentAt, updated_at = now()
       WHERE id = :id""")
  int recordState(@Bind("id") UUID id, @Bind("status") String status, @Bind("dueAt") Instant dueAt,
      @Bind("channel") String channel, @Bind("channelReason") String channelReason,
      @Bind("messageSid") String messageSid, @Bind("attempts") int attempts,
      @Bind("lastErrorCode") String lastErrorCode, @Bind("lastError") String lastError,
      @Bind("sentAt") Instant sentAt);

  /** A delivery status that came after the workflow closed (a late read receipt, say). */
  @SqlUpdate("""
      UPDATE reminders SET status = :status, last_error_code = COALESCE(:errorCode, last_error_code),
             last_error = COALESCE(:error, last_error), updated_at = now()
       WHERE id = :id AND status = :expected""")
  int advanceStatus(@Bind("id") UUID id, @Bind("expected") String expected, @Bind("status") String status,
      @Bind("errorCode") String errorCode, @Bind("error") String error);

  /** A user's reminders that went out and still await a reply, newest first. */
  @SqlQuery("SELECT " + COLUMNS + " " + """
       FROM reminders
       WHERE user_id = :userId AND acknowledged_at IS NULL AND sent_at > :since
         AND status IN ('SENT', 'DELIVERED', 'READ', 'UNCONFIRMED')
       ORDER BY sent_at DESC""")
  List<ReminderRow> awaitingReply(@Bind("userId") UUID userId, @Bind("since") Instant since);

  @SqlQuery("SELECT " + COLUMNS + " FROM reminders WHERE user_id = :userId AND status = 'SCHEDULED'")
  List<ReminderRow> scheduledFor(@Bind("userId") UUID userId);

  @SqlUpdate("""
      UPDATE reminders SET acknowledged_at = COALESCE(acknowledged_at, now()),
             status = CASE WHEN status IN ('SENT', 'DELIVERED', 'READ', 'UNCONFIRMED') THEN 'ACKNOWLEDGED' ELSE status END,
             updated_at = now()
       WHERE id = :id""")
  int acknowledge(@Bind("id") UUID id);

  @SqlUpdate("DELETE FROM reminders WHERE id = :id AND status = 'SCHEDULED'")
  int deleteUnstarted(@Bind("id") UUID id);
}
