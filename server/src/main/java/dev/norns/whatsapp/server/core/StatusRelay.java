package dev.norns.whatsapp.server.core;

import dev.norns.whatsapp.activities.reminder.DeliveryLedger;
import dev.norns.whatsapp.workflows.WorkflowIds;
import dev.norns.whatsapp.workflows.model.DeliveryStatus;
import dev.norns.whatsapp.workflows.model.DeliveryUpdate;
import dev.norns.whatsapp.workflows.reminder.ReminderWorkflow;
import io.dropwizard.lifecycle.Managed;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowNotFoundException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers status callbacks from PostgreSQL ({@code status_relay}, written with the callback) to the reminder's
 * workflow, retrying with backoff until Temporal accepts the signal; a reminder whose workflow has closed gets the
 * status on its row instead. Rows are claimed with {@code SKIP LOCKED}, so every api instance can relay. Woken at
 * once by the webhook; a poll every second covers rows left by a stopped process.
 */
public final class StatusRelay implements Managed {
  private static final Logger log = LoggerFactory.getLogger(StatusRelay.class);
  private static final int BATCH = 50;
  private static final String CLAIM = """
      SELECT id, reminder_id, message_sid, status, error_code, error_message, attempts FROM status_relay
       WHERE next_attempt_at <= now() ORDER BY id LIMIT :batch FOR UPDATE SKIP LOCKED""";

  private record Pending(long id, UUID reminderId, String messageSid, String status, String errorCode,
      String errorMessage, int attempts) {}

  private final Jdbi jdbi;
  private final WorkflowClient temporal;
  private final DeliveryLedger ledger;
  private final Semaphore wake = new Semaphore(0);
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
              rs.getString("error_message"), rs.getInt("attempts"))).list();
      for (Pending row : due) {
        if (deliver(row)) {
          handle.execute("DELETE FROM status_relay WHERE id = ?", row.id());
        } else {
          long backoff = Math.min(60, 1L << Math.min(row.attempts(), 6));
          handle.execute("UPDATE status_relay SET attempts = attempts + 1, next_attempt_at = now() + ? * interval "
              + "'1 second' WHERE id = ?", backoff, row.id());
        }
      }
      return due.size();
    });
  }

  private boolean deliver(Pending row) {
    DeliveryStatus status = DeliveryStatus.fromTwilio(row.status());
    try {
      temporal.newWorkflowStub(ReminderWorkflow.class, WorkflowIds.reminder(row.reminderId().toString()))
          .deliveryStatus(new DeliveryUpdate(row.messageSid(), status, row.errorCode(), row.errorMessage()));
      return true;
    } catch (WorkflowNotFoundException closed) {
      ledger.advanceClosedReminder(row.reminderId(), status, row.errorCode(), row.errorMessage());
      return true;
    } catch (RuntimeException e) {
      log.warn("whatsapp status reminder={} sid={} {} not yet relayed (attempt {}): {}", row.reminderId(),
          row.messageSid(), row.status(), row.attempts() + 1, e.toString());
      return false;
    }
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
  }
}
