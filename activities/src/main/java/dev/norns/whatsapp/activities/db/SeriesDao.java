package dev.norns.whatsapp.activities.db;

import java.time.Instant;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

@RegisterConstructorMapper(SeriesRow.class)
public interface SeriesDao {
  String COLUMNS = """
      id, user_id, recurrence, timezone, starts_at_local, template_name, variables::text AS variables, body,
      nudge_every_seconds, nudge_max, quiet_hours, status, next_due_at, next_reminder_id, occurrences,
      idempotency_key, created_at, updated_at""";

  /** False when the idempotency key is taken (the existing series wins). */
  @SqlUpdate("""
      INSERT INTO series (id, user_id, recurrence, timezone, starts_at_local, template_name, variables, body,
                          nudge_every_seconds, nudge_max, quiet_hours, idempotency_key)
      VALUES (:id, :userId, :recurrence, :timezone, :startsAtLocal, :templateName, CAST(:variables AS jsonb), :body,
              :nudgeEvery, :nudgeMax, :quietHours, :idempotencyKey)
      ON CONFLICT DO NOTHING""")
  boolean insert(@Bind("id") UUID id, @Bind("userId") UUID userId, @Bind("recurrence") String recurrence,
      @Bind("timezone") String timezone, @Bind("startsAtLocal") LocalDateTime startsAtLocal,
      @Bind("templateName") String templateName, @Bind("variables") String variablesJson, @Bind("body") String body,
      @Bind("nudgeEvery") Integer nudgeEverySeconds, @Bind("nudgeMax") Integer nudgeMax,
      @Bind("quietHours") String quietHours, @Bind("idempotencyKey") String idempotencyKey);

  @SqlQuery("SELECT " + COLUMNS + " FROM series WHERE id = :id")
  Optional<SeriesRow> find(@Bind("id") UUID id);

  @SqlQuery("SELECT " + COLUMNS + " FROM series WHERE idempotency_key = :key")
  Optional<SeriesRow> findByIdempotencyKey(@Bind("key") String key);

  /** A page, newest first; {@code beforeCreated}/{@code beforeId} the cursor (the last row of the page before). */
  @SqlQuery("SELECT " + COLUMNS + " " + """
       FROM series
      WHERE (CAST(:userId AS uuid) IS NULL OR user_id = :userId)
        AND (CAST(:status AS text) IS NULL OR status = :status)
        AND (CAST(:beforeCreated AS timestamptz) IS NULL OR (created_at, id) < (:beforeCreated, :beforeId))
      ORDER BY created_at DESC, id DESC LIMIT :limit""")
  List<SeriesRow> list(@Bind("userId") UUID userId, @Bind("status") String status,
      @Bind("beforeCreated") Instant beforeCreated, @Bind("beforeId") UUID beforeId, @Bind("limit") int limit);

  @SqlQuery("SELECT " + COLUMNS + " FROM series WHERE status IN ('ACTIVE', 'PAUSED') ORDER BY created_at")
  List<SeriesRow> running();

  @SqlQuery("SELECT id FROM series WHERE user_id = :userId AND status IN ('ACTIVE', 'PAUSED')")
  List<UUID> runningOf(@Bind("userId") UUID userId);

  /** The series workflow's state. */
  @SqlUpdate("""
      UPDATE series SET status = :status, next_due_at = :nextDueAt, next_reminder_id = :nextReminderId,
             occurrences = :occurrences, updated_at = now()
       WHERE id = :id""")
  int recordState(@Bind("id") UUID id, @Bind("status") String status, @Bind("nextDueAt") Instant nextDueAt,
      @Bind("nextReminderId") UUID nextReminderId, @Bind("occurrences") int occurrences);

  /** An edit: every argument is the new value (the caller merged what the request left out). */
  @SqlUpdate("""
      UPDATE series SET recurrence = :recurrence, template_name = :templateName, variables = CAST(:variables AS jsonb),
             body = :body, updated_at = now()
       WHERE id = :id""")
  int updateContent(@Bind("id") UUID id, @Bind("recurrence") String recurrence,
      @Bind("templateName") String templateName, @Bind("variables") String variablesJson, @Bind("body") String body);

  @SqlUpdate("UPDATE series SET status = 'CANCELLED', updated_at = now() WHERE id = :id")
  int markCancelled(@Bind("id") UUID id);

  /** A user erased: their series keep rule, zone and counts, not their content. */
  @SqlUpdate("""
      UPDATE series SET variables = '{}'::jsonb, body = NULL, status = CASE WHEN status IN ('ACTIVE', 'PAUSED')
             THEN 'CANCELLED' ELSE status END, updated_at = now()
       WHERE user_id = :userId""")
  int erase(@Bind("userId") UUID userId);

  @SqlQuery("SELECT id FROM series WHERE user_id = :userId")
  List<UUID> idsOf(@Bind("userId") UUID userId);
}
