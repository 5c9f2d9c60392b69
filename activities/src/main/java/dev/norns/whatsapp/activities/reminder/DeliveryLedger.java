package dev.norns.whatsapp.activities.reminder;

import dev.norns.whatsapp.activities.db.MessageDao;
import dev.norns.whatsapp.activities.db.MessageRow;
import dev.norns.whatsapp.activities.db.ReminderDao;
import dev.norns.whatsapp.activities.db.ReminderRow;
import dev.norns.whatsapp.workflows.model.DeliveryStatus;
import dev.norns.whatsapp.workflows.model.ReminderStatus;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;

/** Status callbacks into PostgreSQL: one-way maximum per message, idempotent under duplicates and reordering. */
public final class DeliveryLedger {
  // The message a callback names only by its reminder and attempt (its SID not stored yet), found and locked in a
  // transaction of its own. Plain statements rather than MessageDao: attaching a SQL object builds a handler for each
  // of its methods every time, and these run for status callbacks.
  private static final String LOCK_BY_SID = "SELECT " + MessageDao.COLUMNS
      + " FROM messages WHERE sid = :sid FOR UPDATE";
  private static final String LOCK_ATTEMPT = "SELECT " + MessageDao.COLUMNS
      + " FROM messages WHERE reminder_id = :reminder AND attempt_key = :key FOR UPDATE";

  /**
   * A callback applied to the message {@code found} selects, in one statement (one round trip, where a transaction
   * took three): the row locked, the status merged, the merged status stored and the reported one appended to the
   * history once, the SID kept, and the status queued for the reminder's workflow ({@code :relay}: one it acts on)
   * when it changed, no sooner than what is queued for that reminder already. The merge is {@link DeliveryStatus#merge}
   * applied as the set of stored statuses the reported one replaces ({@code :overrides}, computed from the enum); a
   * stored status this code does not know is replaced, as {@code merge} does. The lock makes concurrent callbacks for
   * one message apply one after the other, each on the latest status. No row when {@code found} finds no message.
   */
  private static String record(String found) {
    return """
        WITH found AS (
          SELECT id, reminder_id, lower(btrim(status)) AS before FROM messages WHERE %s FOR UPDATE
        ), merged AS (
          SELECT id, reminder_id, before,
                 CASE WHEN before IS NULL OR NOT (before = ANY(%s)) OR before = ANY(:overrides) THEN :reported
                      ELSE before END AS after
            FROM found
        ), updated AS (
          UPDATE messages m
             SET sid = COALESCE(m.sid, :sid), state = 'accepted', status = merged.after,
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
        SELECT reminder_id, before, after, (SELECT count(*) FROM relayed) > 0 AS relayed FROM updated"""
        .formatted(found, KNOWN);
  }

  /** Every status this code knows, as an SQL array literal (the enum's own names: nothing from outside). */
  private static final String KNOWN = Arrays.stream(DeliveryStatus.values())
      .map(status -> "'" + status.twilioName() + "'").collect(Collectors.joining(", ", "ARRAY[", "]"));
  private static final String RECORD_BY_SID = record("sid = :sid");
  private static final String RECORD_BY_ID = record("id = :id");
  /** The statuses the reminder's workflow acts on (delivered, read, a terminal failure): queued for it. */
  private static final Set<DeliveryStatus> ACTED_ON = EnumSet.copyOf(Arrays.stream(DeliveryStatus.values())
      .filter(s -> s == DeliveryStatus.DELIVERED || s == DeliveryStatus.READ || s.isTerminal()).toList());
  /** For each reported status, the stored ones it replaces ({@link DeliveryStatus#merge}). */
  private static final Map<DeliveryStatus, String[]> OVERRIDES = new EnumMap<>(DeliveryStatus.class);

  static {
    for (DeliveryStatus reported : DeliveryStatus.values()) {
      OVERRIDES.put(reported, Arrays.stream(DeliveryStatus.values()).filter(known -> known.merge(reported) == reported)
          .map(DeliveryStatus::twilioName).toArray(String[]::new));
    }
  }

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
   * reminder's workflow acts on is queued in {@code status_relay} by the same statement, so it reaches the workflow
   * even if the process stops right after; no sooner than what is queued for that reminder already (a dispatcher's
   * report held a moment), so they go in one signal.
   */
  public Optional<Recorded> record(String sid, String reminderId, String attemptKey, DeliveryStatus reported,
      String errorCode, String errorMessage) {
    // The usual case, one round trip: the message's SID is stored.
    Optional<Recorded> bySid = jdbi.withHandle(handle -> apply(handle.createQuery(RECORD_BY_SID), sid, reported,
        errorCode, errorMessage));
    if (bySid.isPresent()) {
      return bySid;
    }
    UUID reminder = parseUuid(reminderId);
    if (reminder == null || attemptKey == null) {
      return Optional.empty();
    }
    // The callback came before the send stored the SID: the reminder and attempt in the StatusCallback URL find the
    // message (the SID is looked for again under the lock, should the send have stored it meanwhile).
    return jdbi.inTransaction(handle -> {
      Optional<MessageRow> row = handle.createQuery(LOCK_BY_SID).bind("sid", sid).map(MessageDao.ROWS).findOne();
      if (row.isEmpty()) {
        row = handle.createQuery(LOCK_ATTEMPT).bind("reminder", reminder).bind("key", attemptKey)
            .map(MessageDao.ROWS).findOne()
            .filter(m -> sid.equals(m.sid()) || (m.sid() == null && MessageRow.SENDING.equals(m.state())));
      }
      return row.isEmpty() ? Optional.<Recorded>empty()
          : apply(handle.createQuery(RECORD_BY_ID).bind("id", row.get().id()), sid, reported, errorCode,
              errorMessage);
    });
  }

  private static Optional<Recorded> apply(Query statement, String sid, DeliveryStatus reported, String errorCode,
      String errorMessage) {
    return statement.bind("sid", sid).bind("reported", reported.twilioName()).bind("code", errorCode)
        .bind("message", errorMessage).bindArray("overrides", String.class, (Object[]) OVERRIDES.get(reported))
        .bind("relay", ACTED_ON.contains(reported))
        .map((rs, ctx) -> new Recorded(rs.getObject("reminder_id", UUID.class),
            DeliveryStatus.fromTwilio(rs.getString("after")), !rs.getString("after").equals(rs.getString("before")),
            rs.getBoolean("relayed")))
        .findOne();
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
