package dev.norns.whatsapp.server.core;

import dev.norns.whatsapp.activities.db.InboundMessageDao;
import dev.norns.whatsapp.activities.db.InboundMessageRow;
import dev.norns.whatsapp.activities.db.ReminderDao;
import dev.norns.whatsapp.workflows.inbound.InboundInput;
import dev.norns.whatsapp.activities.db.ReminderRow;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PostgreSQL is the system of record: every reminder that is not final there but has no workflow is started again.
 * This is what carries reminders across a restart of the embedded default, whose Temporal keeps nothing. A reminder
 * that was already sent is not sent twice: its new workflow finds the send in the messages table.
 */
public final class Reconciler {
  private static final Logger log = LoggerFactory.getLogger(Reconciler.class);

  private final Jdbi jdbi;
  private final ReminderService reminders;
  private final InboundProcessor inbound;

  public Reconciler(Jdbi jdbi, ReminderService reminders, InboundProcessor inbound) {
    this.jdbi = jdbi;
    this.reminders = reminders;
    this.inbound = inbound;
  }

  /** Returns how many workflows it started. */
  public int run() {
    List<ReminderRow> pending = jdbi.withExtension(ReminderDao.class, ReminderDao::notFinal);
    int started = 0;
    for (ReminderRow row : pending) {
      try {
        reminders.start(row);
        started++;
        log.info("whatsapp reminder {} ({}, due {}) had no workflow: started again", row.id(), row.status(),
            row.dueAt());
      } catch (WorkflowExecutionAlreadyStarted running) {
        log.debug("reminder {} already has a workflow", row.id());
      } catch (RuntimeException e) {
        log.error("whatsapp reminder {} could not be started again: {}", row.id(), e.toString());
      }
    }
    log.info("reconcile: {} reminders not final in PostgreSQL, {} workflows started again", pending.size(), started);
    List<InboundMessageRow> unprocessed = jdbi.withExtension(InboundMessageDao.class, InboundMessageDao::unprocessed);
    for (InboundMessageRow row : unprocessed) {
      try {
        inbound.start(new InboundInput(row.sid(), row.userId() == null ? null : row.userId().toString(),
            row.fromNumber(), row.body(), row.buttonPayload(), row.repliedToSid(), row.receivedAt()));
      } catch (RuntimeException e) {
        log.error("whatsapp inbound {} could not be started again: {}", row.sid(), e.toString());
      }
    }
    if (!unprocessed.isEmpty()) {
      log.info("reconcile: {} inbound messages not yet processed handed to their workflows", unprocessed.size());
    }
    return started;
  }
}
