package dev.norns.whatsapp.activities.db;

import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

@RegisterConstructorMapper(MessageRow.class)
public interface MessageDao {
  String COLUMNS = """
      id, reminder_id, attempt_key, sid, channel, to_number, state, status, error_code, error_message,
      status_history::text AS status_history, created_at, updated_at""";

  /** Claims an attempt; false if a row for it already exists (an earlier try got this far). */
  @SqlUpdate("""
      INSERT INTO messages (reminder_id, attempt_key, channel, to_number, state)
      VALUES (:reminderId, :attemptKey, :channel, :to, 'sending')
      ON CONFLICT DO NOTHING""")
  boolean claim(@Bind("reminderId") UUID reminderId, @Bind("attemptKey") String attemptKey,
      @Bind("channel") String channel, @Bind("to") String to);

  @SqlQuery("SELECT " + COLUMNS
      + " FROM messages WHERE reminder_id IS NOT DISTINCT FROM :reminderId AND attempt_key = :attemptKey")
  Optional<MessageRow> findAttempt(@Bind("reminderId") UUID reminderId, @Bind("attemptKey") String attemptKey);

  @SqlQuery("SELECT " + COLUMNS + " FROM messages WHERE sid = :sid FOR UPDATE")
  Optional<MessageRow> lockBySid(@Bind("sid") String sid);

  @SqlQuery("SELECT " + COLUMNS
      + " FROM messages WHERE reminder_id = :reminderId AND attempt_key = :attemptKey FOR UPDATE")
  Optional<MessageRow> lockAttempt(@Bind("reminderId") UUID reminderId, @Bind("attemptKey") String attemptKey);

  @SqlQuery("SELECT " + COLUMNS + " FROM messages WHERE sid = :sid")
  Optional<MessageRow> findBySid(@Bind("sid") String sid);

  @SqlUpdate("UPDATE messages SET state = 'sending', updated_at = now() WHERE id = :id AND state = 'retry'")
  boolean retryAgain(@Bind("id") long id);

  /**
   * A try whose outcome was unknown and that Twilio has no message of: sent again from now. False when another
   * worker took it first (or a callback settled it meanwhile).
   */
  @SqlUpdate("""
      UPDATE messages SET updated_at = clock_timestamp() WHERE id = :id AND state = 'sending' AND sid IS NULL
         AND updated_at = :seen""")
  boolean retryAgainAfterUnknown(@Bind("id") long id, @Bind("seen") java.time.Instant seen);

  /** Twilio took it. A callback that arrived first may already have set the SID and a later status: keep those. */
  /** Returns the settled row: SID and status as stored, which a callback that came first may have set. */
  @SqlQuery("""
      UPDATE messages SET state = 'accepted', sid = COALESCE(sid, :sid), status = COALESCE(status, :status),
             updated_at = now()
       WHERE id = :id
      RETURNING id, reminder_id, attempt_key, sid, channel, to_number, state, status, error_code, error_message,
                status_history::text AS status_history, created_at, updated_at""")
  MessageRow accepted(@Bind("id") long id, @Bind("sid") String sid, @Bind("status") String status);

  @SqlUpdate("""
      UPDATE messages SET state = :state, error_code = :code, error_message = :message, updated_at = now()
       WHERE id = :id AND sid IS NULL""")
  void refused(@Bind("id") long id, @Bind("state") String state, @Bind("code") String code,
      @Bind("message") String message);

  /** Stores a callback's status (already merged as a one-way maximum) and appends it to the history once. */
  @SqlUpdate("""
      UPDATE messages
         SET sid = COALESCE(sid, :sid), state = 'accepted', status = :status,
             error_code = COALESCE(:code, error_code), error_message = COALESCE(:message, error_message),
             status_history = CASE
               WHEN status_history @> jsonb_build_array(jsonb_build_object('status', CAST(:reported AS text)))
               THEN status_history
               ELSE status_history || jsonb_build_array(jsonb_build_object(
                      'status', CAST(:reported AS text), 'error_code', CAST(:code AS text), 'at', now()))
             END,
             updated_at = now()
       WHERE id = :id""")
  void recordCallback(@Bind("id") long id, @Bind("sid") String sid, @Bind("status") String mergedStatus,
      @Bind("reported") String reportedStatus, @Bind("code") String errorCode, @Bind("message") String message);
}
