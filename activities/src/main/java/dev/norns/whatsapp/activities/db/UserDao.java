package dev.norns.whatsapp.activities.db;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

@RegisterConstructorMapper(UserRow.class)
public interface UserDao {

  @SqlUpdate("""
      INSERT INTO users (id, display_name, email, phone_number, timezone)
      VALUES (:id, :displayName, :email, :phoneNumber, :timezone)""")
  void insert(@Bind("id") UUID id, @Bind("displayName") String displayName, @Bind("email") String email,
      @Bind("phoneNumber") String phoneNumber, @Bind("timezone") String timezone);

  @SqlQuery("SELECT * FROM users WHERE id = :id")
  Optional<UserRow> find(@Bind("id") UUID id);

  /** The users of these ids that exist, in no particular order. */
  @SqlQuery("SELECT * FROM users WHERE id = ANY(:ids)")
  List<UserRow> findAll(@Bind("ids") UUID[] ids);

  @SqlQuery("SELECT * FROM users WHERE phone_number = :phone")
  Optional<UserRow> findByPhone(@Bind("phone") String phoneNumber);

  @SqlQuery("SELECT * FROM users ORDER BY display_name, id LIMIT :limit")
  List<UserRow> list(@Bind("limit") int limit);

  /** A page of users, newest first; {@code beforeCreated}/{@code beforeId} the cursor (the last row before). */
  @SqlQuery("""
      SELECT * FROM users
       WHERE (CAST(:beforeCreated AS timestamptz) IS NULL OR (created_at, id) < (:beforeCreated, :beforeId))
       ORDER BY created_at DESC, id DESC LIMIT :limit""")
  List<UserRow> page(@Bind("beforeCreated") Instant beforeCreated, @Bind("beforeId") UUID beforeId,
      @Bind("limit") int limit);

  /** STOP sets it (keeping the first time), START clears it. */
  @SqlUpdate("""
      UPDATE users SET opted_out_at = CASE WHEN :out THEN COALESCE(opted_out_at, now()) END, updated_at = now()
       WHERE id = :id""")
  int setOptedOut(@Bind("id") UUID id, @Bind("out") boolean optedOut);

  @SqlUpdate("""
      UPDATE users SET opted_out_at = COALESCE(opted_out_at, now()), updated_at = now() WHERE phone_number = :phone""")
  int optOutPhone(@Bind("phone") String phoneNumber);

  @SqlUpdate("UPDATE users SET phone_number = :phone, updated_at = now() WHERE id = :id")
  int updatePhone(@Bind("id") UUID id, @Bind("phone") String phoneNumber);

  /** Quiet hours: start/end null for the default, {@code off} to turn them off. */
  @SqlUpdate("""
      UPDATE users SET quiet_hours_start = :start, quiet_hours_end = :end, quiet_hours_off = :off, updated_at = now()
       WHERE id = :id AND erased_at IS NULL""")
  int setQuietHours(@Bind("id") UUID id, @Bind("start") String start, @Bind("end") String end,
      @Bind("off") boolean off);

  /** A PATCH: every argument is the new value (the caller merged what the request left out). */
  @SqlUpdate("""
      UPDATE users SET display_name = :displayName, email = :email, phone_number = :phone, timezone = :timezone,
             updated_at = now()
       WHERE id = :id AND erased_at IS NULL""")
  int update(@Bind("id") UUID id, @Bind("displayName") String displayName, @Bind("email") String email,
      @Bind("phone") String phoneNumber, @Bind("timezone") String timezone);

  /**
   * Erases a user's personal data, keeping the row as a tombstone: name, email and phone go, and with them what
   * PostgreSQL holds that names or quotes them (their reminders' variables and text, their inbound messages' text and
   * number, the numbers their messages went to, their session window). True when this call erased it.
   */
  @SqlUpdate("""
      WITH target AS (SELECT id, phone_number FROM users WHERE id = :id AND erased_at IS NULL FOR UPDATE),
           reminders_erased AS (
             UPDATE reminders SET variables = '{}'::jsonb, body = NULL, last_error = NULL, channel_reason = NULL
              WHERE user_id IN (SELECT id FROM target) RETURNING id),
           messages_erased AS (
             UPDATE messages SET to_number = 'erased', error_message = NULL
              WHERE reminder_id IN (SELECT id FROM reminders WHERE user_id IN (SELECT id FROM target))
                 OR (reminder_id IS NULL AND to_number IN (SELECT phone_number FROM target)) RETURNING id),
           inbound_erased AS (
             UPDATE inbound_messages SET from_number = 'erased', profile_name = NULL, body = '', media = '[]'::jsonb,
                    button_payload = NULL, button_text = NULL
              WHERE user_id IN (SELECT id FROM target) RETURNING sid),
           sessions_erased AS (
             DELETE FROM whatsapp_sessions WHERE phone_number IN (SELECT phone_number FROM target) RETURNING 1)
      UPDATE users SET display_name = NULL, email = NULL, phone_number = NULL, erased_at = now(), updated_at = now()
       WHERE id IN (SELECT id FROM target)""")
  boolean erase(@Bind("id") UUID id);
}
