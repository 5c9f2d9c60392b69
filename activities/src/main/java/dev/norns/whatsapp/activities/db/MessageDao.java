package dev.norns.whatsapp.activities.db;

import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.sqlobject.config.RegisterRowMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

@RegisterRowMapper(MessageRow.Mapper.class)
public interface MessageDao {
  String COLUMNS = """
      id, reminder_id, attempt_key, sid, channel, to_number, state, status, error_code, error_message,
      status_history::text AS status_history, created_at, updated_at""";

  /** The row mapper for statements outside this interface (the delivery ledger's, run per status callback). */
  RowMapper<MessageRow> ROWS = new MessageRow.Mapper();

  /**
   * Claims an attempt: its new row, or empty if a row for it already exists (an earlier try got this far; {@link
   * #findAttempt} reads it).
   */
  @SqlQuery("""
      INSERT INTO messages (reminder_id, attempt_key, channel, to_number, state)
      VALUES (:reminderId, :attemptKey, :channel, :to, 'sending')
      ON CONFLICT DO NOTHING
      RETURNING""" + " " + COLUMNS)
  Optional<MessageRow> claim(@Bind("reminderId") UUID reminderId, @Bind("attemptKey") String attemptKey,
      @Bind("channel") String channel, @Bind("to") String to);

  @SqlQuery("SELECT " + COLUMNS
      + " FROM messages WHERE reminder_id IS NOT DISTINCT FROM :reminderId AND attempt_key = :attemptKey")
  Optional<MessageRow> findAttempt(@Bind("reminderId") UUID reminderId, @Bind("attemptKey") String attemptKey);

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

  /**
   * Twilio took it. A callback that arrived first may already have set the SID and a later status: keep those.
   * Returns the settled row: SID and status as stored, which a callback that came first may have set.
   */
  @SqlQuery("""
      UPDATE messages SET state = 'accepted', sid = COALESCE(sid, :sid), status = COALESCE(status, :status),
             updated_at = now()
       WHERE id = :id
      RETURNING""" + " " + COLUMNS)
  MessageRow accepted(@Bind("id") long id, @Bind("sid") String sid, @Bind("status") String status);

  @SqlUpdate("""
      UPDATE messages SET state = :state, error_code = :code, error_message = :message, updated_at = now()
       WHERE id = :id AND sid IS NULL""")
  void refused(@Bind("id") long id, @Bind("state") String state, @Bind("code") String code,
      @Bind("message") String message);
}
