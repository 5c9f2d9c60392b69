package dev.norns.whatsapp.server.core;

import dev.norns.whatsapp.activities.db.InboundMessageDao;
import dev.norns.whatsapp.activities.db.InboundMessageRow;
import dev.norns.whatsapp.activities.db.ReminderDao;
import dev.norns.whatsapp.activities.db.ReminderRow;
import dev.norns.whatsapp.activities.db.SeriesDao;
import dev.norns.whatsapp.activities.db.SeriesRow;
import dev.norns.whatsapp.workflows.inbound.InboundInput;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import java.util.List;
import java.util.function.Consumer;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PostgreSQL is the system of record. {@link #reminders} starts a workflow for every reminder not final there that has
 * none, for when Temporal's state was lost (a deleted data file, a new cluster); an ordinary restart does not need it,
 * the Temporal server keeps workflows. It runs as the {@code reconcile} command, or at start with RECONCILE_AT_START.
 * The new workflow resumes where PostgreSQL says the reminder stood and never sends again what was sent (the messages
 * table keys every send). {@link #inbound} hands stored inbound messages not yet processed to their workflows, at
 * every start.
 */
public final class Reconciler {
  private static final Logger log = LoggerFactory.getLogger(Reconciler.class);

  private final Jdbi jdbi;
  private final ReminderService reminders;
  private final SeriesService series;

  public Reconciler(Jdbi jdbi, ReminderService reminders, SeriesService series) {
    this.jdbi = jdbi;
    this.reminders = reminders;
    this.series = series;
  }

  /** Returns how many workflows it started. */
  public int reminders() {
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
    List<SeriesRow> running = jdbi.withExtension(SeriesDao.class, SeriesDao::running);
    int restarted = 0;
    for (SeriesRow row : running) {
      try {
        series.restart(row);
        restarted++;
        log.info("whatsapp series {} ({}) had no workflow: started again", row.id(), row.status());
      } catch (WorkflowExecutionAlreadyStarted alive) {
        log.debug("series {} already has a workflow", row.id());
      } catch (RuntimeException e) {
        log.error("whatsapp series {} could not be started again: {}", row.id(), e.toString());
      }
    }
    if (!running.isEmpty()) {
      log.info("reconcile: {} series running in PostgreSQL, {} workflows started again", running.size(), restarted);
    }
    return started + restarted;
  }

  /** Hands every stored, unprocessed inbound message to {@code start} (workflow ids deduplicate). */
  public void inbound(Consumer<InboundInput> start) {
    List<InboundMessageRow> unprocessed = jdbi.withExtension(InboundMessageDao.class, InboundMessageDao::unprocessed);
    for (InboundMessageRow row : unprocessed) {
      try {
        start.accept(new InboundInput(row.sid(), row.userId() == null ? null : row.userId().toString(),
            row.fromNumber(), row.body(), row.buttonPayload(), row.repliedToSid(), row.receivedAt()));
      } catch (RuntimeException e) {
        log.error("whatsapp inbound {} could not be started again: {}", row.sid(), e.toString());
      }
    }
    if (!unprocessed.isEmpty()) {
      log.info("reconcile: {} inbound messages not yet processed handed to their workflows", unprocessed.size());
    }
  }
}
