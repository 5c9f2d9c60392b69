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
      nudge_every_seconds, nudge_max, acknowledged_at, phase, round, nudges_sent, first_sent_at, quiet_hours,
      deferred_until, deferred_reason, series_id""";

  /**
   * Inserts a SCHEDULED reminder and returns it as stored; empty when the id or the idempotency key is taken (the
   * existing reminder wins).
   */
  @SqlQuery("""
      INSERT INTO reminders (id, user_id, template_name, variables, body, due_at, status, idempotency_key,
                             nudge_every_seconds, nudge_max, quiet_hours, deferred_until, deferred_reason,
                             series_id, workflow_start_at)
      VALUES (:id, :userId, :templateName, CAST(:variables AS jsonb), :body, :dueAt, 'SCHEDULED', :idempotencyKey,
              :nudgeEvery, :nudgeMax, :quietHours, :deferredUntil, :deferredReason, :seriesId, :workflowStartAt)
      ON CONFLICT DO NOTHING RETURNING
      """ + COLUMNS)
  Optional<ReminderRow> insert(@Bind("id") UUID id, @Bind("userId") UUID userId,
      @Bind("templateName") String templateName,
      @Bind("variables") String variablesJson, @Bind("body") String body, @Bind("dueAt") Instant dueAt,
      @Bind("idempotencyKey") String idempotencyKey, @Bind("nudgeEvery") Integer nudgeEverySeconds,
      @Bind("nudgeMax") Integer nudgeMax, @Bind("quietHours") String quietHours,
      @Bind("deferredUntil") Instant deferredUntil, @Bind("deferredReason") String deferredReason,
      @Bind("seriesId") UUID seriesId, @Bind("workflowStartAt") Instant workflowStartAt);

  @SqlQuery("SELECT " + COLUMNS + " FROM reminders WHERE id = :id")
  Optional<ReminderRow> find(@Bind("id") UUID id);

  @SqlQuery("SELECT " + COLUMNS + " FROM reminders WHERE idempotency_key = :key")
  Optional<ReminderRow> findByIdempotencyKey(@Bind("key") String key);

  /**
   * A page of reminders, latest due first, each filter optional; {@code beforeDue}/{@code beforeId} is the cursor
   * (the last row of the page before).
   */
  @SqlQuery("SELECT " + COLUMNS + " " + """
       FROM reminders
       WHERE (CAST(:userId AS uuid) IS NULL OR user_id = :userId)
         AND (CAST(:seriesId AS uuid) IS NULL OR series_id = :seriesId)
         AND (CAST(:statuses AS text[]) IS NULL OR status = ANY(CAST(:statuses AS text[])))
         AND (CAST(:dueFrom AS timestamptz) IS NULL OR due_at >= :dueFrom)
         AND (CAST(:dueTo AS timestamptz) IS NULL OR due_at < :dueTo)
         AND (CAST(:beforeDue AS timestamptz) IS NULL OR (due_at, id) < (:beforeDue, :beforeId))
       ORDER BY due_at DESC, id DESC LIMIT :limit""")
  List<ReminderRow> list(@Bind("userId") UUID userId, @Bind("seriesId") UUID seriesId,
      @Bind("statuses") String[] statuses, @Bind("dueFrom") Instant dueFrom, @Bind("dueTo") Instant dueTo,
      @Bind("beforeDue") Instant beforeDue, @Bind("beforeId") UUID beforeId, @Bind("limit") int limit);

  /** Reminders whose workflow still has work to do: what a restart must start again. */
  @SqlQuery("SELECT " + COLUMNS + " FROM reminders WHERE phase <> 'DONE' ORDER BY due_at")
  List<ReminderRow> notFinal();

  /**
   * The workflow's view of the reminder. Idempotent: writing the same state twice leaves the same row. True when this
   * write is the one that recorded the reminder's first send (for the lateness metric: once per reminder, whatever
   * status the send is first recorded with, and not again on a retry); false otherwise, empty when there is no row.
   */
  @SqlQuery("""
      UPDATE reminders r
         SET status = :status, phase = :phase, due_at = :dueAt, channel = :channel, channel_reason = :channelReason,
             message_sid = :messageSid, attempts = :attempts, last_error_code = :lastErrorCode,
             last_error = :lastError, sent_at = :sentAt, first_sent_at = :firstSentAt, round = :round,
             nudges_sent = :nudgesSent, deferred_until = :deferredUntil, deferred_reason = :deferredReason,
             updated_at = now()
        FROM (SELECT id, first_sent_at AS before FROM reminders WHERE id = :id FOR UPDATE) old
       WHERE r.id = old.id
      RETURNING old.before IS NULL AND r.first_sent_at IS NOT NULL""")
  Optional<Boolean> recordState(@Bind("id") UUID id, @Bind("status") String status, @Bind("phase") String phase,
      @Bind("dueAt") Instant dueAt, @Bind("channel") String channel, @Bind("channelReason") String channelReason,
      @Bind("messageSid") String messageSid, @Bind("attempts") int attempts,
      @Bind("lastErrorCode") String lastErrorCode, @Bind("lastError") String lastError,
      @Bind("sentAt") Instant sentAt, @Bind("firstSentAt") Instant firstSentAt, @Bind("round") int round,
      @Bind("nudgesSent") int nudgesSent, @Bind("deferredUntil") Instant deferredUntil,
      @Bind("deferredReason") String deferredReason);

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
         AND status IN ('SENT', 'DELIVERED', 'READ', 'UNCONFIRMED', 'SNOOZED')
       ORDER BY sent_at DESC""")
  List<ReminderRow> awaitingReply(@Bind("userId") UUID userId, @Bind("since") Instant since);

  /** A user's reminders whose workflows still run (STOP ends them all). */
  /** Every reminder of a user, over or not: what erasing them must reach. */
  @SqlQuery("SELECT id FROM reminders WHERE user_id = :userId")
  List<UUID> idsOf(@Bind("userId") UUID userId);

  @SqlQuery("SELECT " + COLUMNS + " FROM reminders WHERE user_id = :userId AND phase <> 'DONE'")
  List<ReminderRow> scheduledFor(@Bind("userId") UUID userId);

  /** A DONE for a reminder whose workflow ended with only a delivery status; 0 when it ended otherwise. */
  @SqlUpdate("""
      UPDATE reminders SET acknowledged_at = COALESCE(acknowledged_at, now()), status = 'ACKNOWLEDGED',
             updated_at = now()
       WHERE id = :id AND phase = 'DONE' AND status IN ('SENT', 'DELIVERED', 'READ', 'UNCONFIRMED')""")
  int acknowledge(@Bind("id") UUID id);

  /** New content after an accepted edit (the workflow already has it). */
  @SqlUpdate("""
      UPDATE reminders SET template_name = :templateName, variables = CAST(:variables AS jsonb), body = :body,
             updated_at = now()
       WHERE id = :id""")
  int updateContent(@Bind("id") UUID id, @Bind("templateName") String templateName,
      @Bind("variables") String variablesJson, @Bind("body") String body);

  /**
   * Takes up to {@code limit} stored reminders, not over, whose workflows are to be started, soonest due first, and holds them
   * for {@code leaseSeconds} (another instance skips them meanwhile; a stopped one's are taken again after it).
   */
  @SqlQuery("UPDATE reminders SET workflow_start_at = now() + :leaseSeconds * interval '1 second' WHERE id IN ("
      + "SELECT id FROM reminders WHERE workflow_start_at <= now() AND phase <> 'DONE' ORDER BY due_at LIMIT :limit "
      + "FOR UPDATE SKIP LOCKED) RETURNING " + COLUMNS)
  List<ReminderRow> claimUnstarted(@Bind("limit") int limit, @Bind("leaseSeconds") int leaseSeconds);

  /**
   * Temporal has the reminder's workflow ({@code :id}). A plain statement for the workflow starts' path: attaching this
   * DAO (17 methods) for one update cost more than the update.
   */
  String WORKFLOW_STARTED =
      "UPDATE reminders SET workflow_start_at = NULL WHERE id = :id AND workflow_start_at IS NOT NULL";

  /** The start failed: try again from {@code at}. */
  @SqlUpdate("UPDATE reminders SET workflow_start_at = :at WHERE id = :id AND workflow_start_at IS NOT NULL")
  int startAgainAt(@Bind("id") UUID id, @Bind("at") Instant at);

  /** True while the reminder's workflow may not have been started yet. */
  @SqlQuery("SELECT workflow_start_at IS NOT NULL FROM reminders WHERE id = :id")
  Optional<Boolean> workflowPending(@Bind("id") UUID id);

  /** How many stored reminders wait for their workflows. */
  @SqlQuery("SELECT count(*) FROM reminders WHERE workflow_start_at IS NOT NULL AND phase <> 'DONE'")
  long workflowsToStart();
}
