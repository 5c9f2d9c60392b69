package dev.norns.whatsapp.server.core;

import dev.norns.whatsapp.activities.db.ReminderDao;
import dev.norns.whatsapp.activities.db.ReminderRow;
import dev.norns.whatsapp.activities.reminder.DeliveryLedger;
import dev.norns.whatsapp.workflows.WorkflowIds;
import dev.norns.whatsapp.workflows.model.DeliveryStatus;
import dev.norns.whatsapp.workflows.model.DeliveryUpdate;
import dev.norns.whatsapp.workflows.reminder.ReminderWorkflow;
import io.dropwizard.lifecycle.Managed;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowNotFoundException;
import java.time.Duration;
import dev.norns.whatsapp.activities.reminder.Payloads;
import dev.norns.whatsapp.workflows.model.DispatchReport;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers what PostgreSQL queued for reminder workflows ({@code status_relay}): status callbacks (written with the
 * callback) and the dispatcher's reports (written with the send's end), retrying with backoff until Temporal accepts
 * the signal; a reminder whose workflow has closed gets the status on its row instead. What is due for one reminder
 * goes as one signal: a report with the latest status of its message, or that latest status alone. Rows are claimed
 * with {@code SKIP LOCKED}, so every api instance can relay; reminders are signalled in parallel. Woken at once by the
 * webhook; a poll every second covers rows left by a stopped process and reports held a moment.
 */
public final class StatusRelay implements Managed {
  private static final Logger log = LoggerFactory.getLogger(StatusRelay.class);
  private static final int BATCH = 200;
  private static final int PARALLEL = 8;
  private static final String CLAIM = """
      SELECT id, reminder_id, message_sid, status, error_code, error_message, attempt_key, outcome::text AS outcome,
             attempts
        FROM status_relay WHERE next_attempt_at <= now() ORDER BY next_attempt_at, id LIMIT :batch
         FOR UPDATE SKIP LOCKED""";

  private record Pending(long id, UUID reminderId, String messageSid, String status, String errorCode,
      String errorMessage, String attemptKey, String outcome, int attempts) {}

  private final Jdbi jdbi;
  private final WorkflowClient temporal;
  private final DeliveryLedger ledger;
  private final Semaphore wake = new Semaphore(0);
  private final ExecutorService signals = Executors.newFixedThreadPool(PARALLEL, r -> {
    Thread t = new Thread(r, "status-relay-signal");
    t.setDaemon(true);
    return t;
  });
  private volatile boolean running;
  private Thread thread;

  public StatusRelay(Jdbi jdbi, WorkflowClient temporal, DeliveryLedger ledger) {
    this.jdbi = jdbi;
    this.temporal = temporal;
    this.ledger = ledger;
  }

  /** Something was queued: relay it now rather than at the next poll. */
  public void nudge() {
    wake.release();
  }

  @Override
  public void start() {
    running = true;
    thread = new Thread(this::loop, "status-relay");
    thread.setDaemon(true);
    thread.start();
  }

  private void loop() {
    while (running) {
      try {
        while (running && relayBatch() == BATCH) {
          // a full batch: more may be waiting
        }
        wake.tryAcquire(1, TimeUnit.SECONDS);
        wake.drainPermits();
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        log.warn("whatsapp status relay: {} (retrying)", e.toString());
        sleep();
      }
    }
  }

  /** Relays one batch of due rows; returns how many it took. */
  int relayBatch() {
    return jdbi.inTransaction(handle -> {
      List<Pending> due = handle.createQuery(CLAIM).bind("batch", BATCH)
          .map((rs, ctx) -> new Pending(rs.getLong("id"), rs.getObject("reminder_id", UUID.class),
              rs.getString("message_sid"), rs.getString("status"), rs.getString("error_code"),
              rs.getString("error_message"), rs.getString("attempt_key"), rs.getString("outcome"),
              rs.getInt("attempts"))).list();
      Map<UUID, List<Pending>> byReminder = new LinkedHashMap<>();
      for (Pending row : due) {
        byReminder.computeIfAbsent(row.reminderId(), k -> new ArrayList<>()).add(row);
      }
      List<Future<Boolean>> sent = new ArrayList<>();
      for (List<Pending> rows : byReminder.values()) {
        sent.add(signals.submit(() -> deliver(rows)));
      }
      int i = 0;
      List<Long> relayed = new ArrayList<>();
      for (List<Pending> rows : byReminder.values()) {
        boolean delivered = outcomeOf(sent.get(i++));
        for (Pending row : rows) {
          if (delivered) {
            relayed.add(row.id());
          } else {
            long backoff = Math.min(60, 1L << Math.min(row.attempts(), 6));
            handle.execute("UPDATE status_relay SET attempts = attempts + 1, next_attempt_at = now() + ? * "
                + "interval '1 second' WHERE id = ?", backoff, row.id());
          }
        }
      }
      // What was relayed leaves in one statement for the batch (one per row was 511 statements in a profiled burst).
      if (!relayed.isEmpty()) {
        handle.createUpdate("DELETE FROM status_relay WHERE id = ANY(:ids)")
            .bindArray("ids", Long.class, relayed).execute();
      }
      return due.size();
    });
  }

  private static boolean outcomeOf(Future<Boolean> future) {
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (ExecutionException e) {
      log.warn("whatsapp status relay: {}", e.getCause().toString());
      return false;
    }
  }

  /** One reminder's due rows as one signal (a report carrying its message's latest status), or one per message. */
  private boolean deliver(List<Pending> rows) {
    UUID reminderId = rows.get(0).reminderId();
    Map<String, DeliveryUpdate> latest = new LinkedHashMap<>();
    List<DispatchReport> reports = new ArrayList<>();
    for (Pending row : rows) {
      if (row.outcome() != null) {
        reports.add(Payloads.read(row.outcome(), DispatchReport.class));
      } else {
        DeliveryUpdate update = new DeliveryUpdate(row.messageSid(), DeliveryStatus.fromTwilio(row.status()),
            row.errorCode(), row.errorMessage());
        latest.merge(row.messageSid(), update,
            (a, b) -> a.status().merge(b.status()) == a.status() ? a : b);
      }
    }
    ReminderWorkflow workflow = temporal.newWorkflowStub(ReminderWorkflow.class,
        WorkflowIds.reminder(reminderId.toString()));
    try {
      for (DispatchReport report : reports) {
        String sid = report.outcome() == null ? null : report.outcome().messageSid();
        DeliveryUpdate delivery = sid == null ? null : latest.remove(sid);
        workflow.dispatched(new DispatchReport(report.attemptKey(), report.outcome(), delivery,
            report.handedBack()));
      }
      for (DeliveryUpdate update : latest.values()) {
        workflow.deliveryStatus(update);
      }
      return true;
    } catch (WorkflowNotFoundException closed) {
      if (!reports.isEmpty() && !over(reminderId)) {
        // No workflow, but the reminder is not over: it is being started again (reconcile after Temporal lost its
        // state). The report is kept until the new run takes it, or it would wait for its takeover time.
        log.info("whatsapp status reminder={}: report kept for the reminder's next run", reminderId);
        return false;
      }
      for (DeliveryUpdate update : latest.values()) {
        ledger.advanceClosedReminder(reminderId, update.status(), update.errorCode(), update.errorMessage());
      }
      return true;
    } catch (RuntimeException e) {
      log.warn("whatsapp status reminder={} not yet relayed (attempt {}): {}", reminderId,
          rows.get(0).attempts() + 1, e.toString());
      return false;
    }
  }

  /** The reminder's row says it is over (or there is none). */
  private boolean over(UUID reminderId) {
    return jdbi.withExtension(ReminderDao.class, dao -> dao.find(reminderId)).map(ReminderRow::done).orElse(true);
  }

  private static void sleep() {
    try {
      Thread.sleep(Duration.ofSeconds(1).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void stop() throws InterruptedException {
    running = false;
    if (thread != null) {
      thread.interrupt();
      thread.join(5000);
    }
    signals.shutdownNow();
  }
}
