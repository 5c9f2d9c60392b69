package dev.norns.whatsapp.activities.reminder;

import dev.norns.whatsapp.activities.db.MessageDao;
import dev.norns.whatsapp.activities.db.MessageRow;
import dev.norns.whatsapp.activities.db.ReminderDao;
import dev.norns.whatsapp.activities.db.ReminderRow;
import dev.norns.whatsapp.workflows.model.DeliveryStatus;
import dev.norns.whatsapp.workflows.model.ReminderStatus;
import java.util.Arrays;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/** Status callbacks into PostgreSQL: one-way maximum per message, idempotent under duplicates and reordering. */
public final class DeliveryLedger {
  // The message row a callback is about, locked for its transaction. Plain statements rather than MessageDao: they
  // run for every status callback (three or more per message), and attaching a SQL object builds a handler for each
  // of its methods every time.
  private static final String LOCK_BY_SID = "SELECT " + MessageDao.COLUMNS
      + " FROM messages WHERE sid = :sid FOR UPDATE";
  private static final String LOCK_ATTEMPT = "SELECT " + MessageDao.COLUMNS
      + " FROM messages WHERE reminder_id = :reminder AND attempt_key = :key FOR UPDATE";

  /** The merged status stored, and the reported one appended to the history once. */
  private static final String UPDATE = """
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
       WHERE id = :id""";
  /**
   * The same update, with the status queued for the reminder's workflow by the same statement: no sooner than what is
   * queued for that reminder already.
   */
  private static final String UPDATE_AND_RELAY = "WITH updated AS (" + UPDATE + " RETURNING id) " + """
      INSERT INTO status_relay (reminder_id, message_sid, status, error_code, error_message, next_attempt_at)
      SELECT :reminder, :sid, :status, :code, :message, GREATEST(now(),
             (SELECT max(next_attempt_at) FROM status_relay WHERE reminder_id = :reminder))
        FROM updated""";

  /**
   * A callback for a message found by its SID, merged, stored and (when {@code :relay} and the status changed) queued
   * for the workflow in one statement, one round trip instead of a transaction's three. The merge is
   * {@link DeliveryStatus#merge}, applied as the set of stored statuses the reported one replaces ({@code :overrides},
   * computed from it); a stored status this code does not know is replaced too, as {@code merge} would. The row is
   * locked by the first step, so concurrent callbacks for one message apply one after the other on its latest status.
   * Returns nothing when no message has that SID.
   */
  private static final String RECORD_BY_SID = """
      WITH found AS (
        SELECT id, reminder_id, lower(btrim(status)) AS before FROM messages WHERE sid = :sid FOR UPDATE
      ), merged AS (
        SELECT id, reminder_id, before,
               CASE WHEN before IS NULL OR NOT (before = ANY(:known)) OR before = ANY(:overrides) THEN :reported
                    ELSE before END AS after
          FROM found
      ), updated AS (
        UPDATE messages m
           SET state = 'accepted', status = merged.after,
               error_code = COALESCE(:code, m.error_code), error_message = COALESCE(:message, m.error_message),
               status_history = CASE
                 WHEN m.status_history @> jsonb_build_array(jsonb_build_object('status', CAST(:reported AS text)))
                 THEN m.status_history
                 ELSE m.status_history || jsonb_build_array(jsonb_build_object(
                        'status', CAST(:reported AS text), 'error_code', CAST(:code AS text), 'at', now()))
               END,
               updated_at = now()
          FROM merged
         WHERE m.id = merged.id
        RETURNING merged.reminder_id, merged.before, merged.after
      ), relayed AS (
        INSERT INTO status_relay (reminder_id, message_sid, status, error_code, error_message, next_attempt_at)
        SELECT u.reminder_id, :sid, u.after, :code, :message, GREATEST(now(),
               (SELECT max(next_attempt_at) FROM status_relay WHERE reminder_id = u.reminder_id))
          FROM updated u
         WHERE :relay AND u.reminder_id IS NOT NULL AND u.after IS DISTINCT FROM u.before
        RETURNING 1
      )
      SELECT reminder_id, before, after, (SELECT count(*) FROM relayed) > 0 AS relayed FROM updated""";
  private static final String[] KNOWN =
      Arrays.stream(DeliveryStatus.values()).map(DeliveryStatus::twilioName).toArray(String[]::new);

  private final Jdbi jdbi;

  public DeliveryLedger(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /**
   * What a callback changed: its reminder, the message's status after merging, and whether it was queued for the
   * reminder's workflow (a status the workflow acts on: delivered, read, or a terminal failure).
   */
  public record Recorded(UUID reminderId, DeliveryStatus status, boolean changed, boolean relayed) {}

  /**
   * Records a callback. The SID finds the message; when the send activity has not stored the SID yet (it died after
   * Twilio accepted, or the callback simply came first) the reminder and attempt in the StatusCallback URL do, but
   * only for an attempt whose Twilio call is still unsettled ({@code sending}): an attempt that never reached Twilio
   * (refused, or to be retried) cannot adopt a SID. Empty when nothing matches a message of ours. A status the
   * reminder's workflow acts on is queued in {@code status_relay} in the same transaction, so it reaches the workflow
   * even if the process stops right after; no sooner than what is queued for that reminder already (a dispatcher's
   * report held a moment), so they go in one signal.
   */
  public Optional<Recorded> record(String sid, String reminderId, String attemptKey, DeliveryStatus reported,
      String errorCode, String errorMessage) {
    Optional<Recorded> bySid = recordBySid(sid, reported, errorCode, errorMessage);
    return bySid.isPresent() ? bySid : recordInTransaction(sid, reminderId, attemptKey, reported, errorCode,
        errorMessage);
  }

  /** The usual case, a message whose SID is stored: {@link #RECORD_BY_SID}. */
  private Optional<Recorded> recordBySid(String sid, DeliveryStatus reported, String errorCode, String errorMessage) {
    String[] overrides = Arrays.stream(DeliveryStatus.values()).filter(known -> known.merge(reported) == reported)
        .map(DeliveryStatus::twilioName).toArray(String[]::new);
    return jdbi.withHandle(handle -> handle.createQuery(RECORD_BY_SID)
        .bind("sid", sid).bind("reported", reported.twilioName()).bind("code", errorCode)
        .bind("message", errorMessage).bindArray("known", String.class, (Object[]) KNOWN)
        .bindArray("overrides", String.class, (Object[]) overrides).bind("relay", actedOn(reported))
        .map((rs, ctx) -> {
          DeliveryStatus merged = DeliveryStatus.fromTwilio(rs.getString("after"));
          return new Recorded(rs.getObject("reminder_id", UUID.class), merged,
              !rs.getString("after").equals(rs.getString("before")), rs.getBoolean("relayed"));
        })
        .findOne());
  }

  /** A status the reminder's workflow acts on. */
  private static boolean actedOn(DeliveryStatus status) {
    return status == DeliveryStatus.DELIVERED || status == DeliveryStatus.READ || status.isTerminal();
  }

  /**
   * A callback whose SID no message has yet: in a transaction that may find the message by its reminder and attempt
   * (and that looks for the SID once more, should the send have stored it meanwhile).
   */
  private Optional<Recorded> recordInTransaction(String sid, String reminderId, String attemptKey,
      DeliveryStatus reported, String errorCode, String errorMessage) {
    return jdbi.inTransaction(handle -> {
      Optional<MessageRow> row = handle.createQuery(LOCK_BY_SID).bind("sid", sid).map(MessageDao.ROWS).findOne();
      UUID reminder = parseUuid(reminderId);
      if (row.isEmpty() && reminder != null && attemptKey != null) {
        row = handle.createQuery(LOCK_ATTEMPT).bind("reminder", reminder).bind("key", attemptKey)
            .map(MessageDao.ROWS).findOne()
            .filter(m -> sid.equals(m.sid()) || (m.sid() == null && MessageRow.SENDING.equals(m.state())));
      }
      if (row.isEmpty()) {
        return Optional.empty();
      }
      DeliveryStatus current = DeliveryStatus.fromTwilio(row.get().status());
      DeliveryStatus merged = current == null ? reported : current.merge(reported);
      boolean changed = merged != current;
      boolean relay = changed && row.get().reminderId() != null && actedOn(merged);
      // A status the workflow acts on is queued by the update's own statement: one round trip fewer.
      org.jdbi.v3.core.statement.Update update = handle.createUpdate(relay ? UPDATE_AND_RELAY : UPDATE)
          .bind("id", row.get().id()).bind("sid", sid).bind("status", merged.twilioName())
          .bind("reported", reported.twilioName()).bind("code", errorCode).bind("message", errorMessage);
      if (relay) {
        update.bind("reminder", row.get().reminderId());
      }
      update.execute();
      return Optional.of(new Recorded(row.get().reminderId(), merged, changed, relay));
    });
  }

  /**
   * Applies a delivery status to a reminder whose workflow has already closed (a read receipt after the read
   * timeout, say): only ever forward, and only from a sent state.
   */
  public void advanceClosedReminder(UUID reminderId, DeliveryStatus status, String errorCode, String errorMessage) {
    jdbi.useExtension(ReminderDao.class, dao -> {
      Optional<ReminderRow> row = dao.find(reminderId);
      if (row.isEmpty()) {
        return;
      }
      ReminderStatus current = ReminderStatus.valueOf(row.get().status());
      ReminderStatus next = current.after(status);
      if (next != current) {
        dao.advanceStatus(reminderId, current.name(), next.name(), errorCode, errorMessage);
      }
    });
  }

  private static UUID parseUuid(String value) {
    try {
      return value == null ? null : UUID.fromString(value);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
