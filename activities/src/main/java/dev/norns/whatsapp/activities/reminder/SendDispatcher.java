package dev.norns.whatsapp.activities.reminder;

import dev.norns.whatsapp.workflows.model.DispatchReport;
import dev.norns.whatsapp.workflows.model.OutboundMessage;
import dev.norns.whatsapp.workflows.model.SendOutcome;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends what reminder workflows queued ahead of their due time ({@code send_queue}), at the due time and at the
 * sender's rate, then queues each outcome for its workflow ({@code status_relay}). Every worker instance runs one:
 * rows are taken with {@code SKIP LOCKED} and a lease, so instances share the work and a stopped instance's rows are
 * taken again when their lease runs out. The send itself is the send activity's ({@link
 * WhatsAppSendActivitiesImpl#send}): claimed by attempt key, so whoever sends (this, another instance after a
 * lease ran out, or the workflow taking over) Twilio gets it once. What the activity would retry (Twilio 429/5xx, an
 * earlier try still unsettled) is handed back to the workflow, whose send activity retries it under its policy.
 *
 * <p>Why: one timer and one activity per reminder at the due instant is a Temporal server round trip per reminder
 * exactly when thousands fall due together; here the due instant costs PostgreSQL a few rows per send and Temporal
 * one signal per reminder, relayed behind the sends.
 */
public final class SendDispatcher {
  private static final Logger log = LoggerFactory.getLogger(SendDispatcher.class);
  private static final String TAKE = """
      UPDATE send_queue q SET taken_by = :me, lease_until = now() + :lease * interval '1 millisecond'
        FROM (SELECT reminder_id, attempt_key FROM send_queue
               WHERE due_at <= now() AND (taken_by IS NULL OR lease_until < now())
               ORDER BY due_at LIMIT :n FOR UPDATE SKIP LOCKED) due
       WHERE q.reminder_id = due.reminder_id AND q.attempt_key = due.attempt_key
      RETURNING q.reminder_id, q.attempt_key, q.due_at, q.message::text AS message""";

  private record Taken(UUID reminderId, String attemptKey, Instant dueAt, String message) {}

  private final Jdbi jdbi;
  private final WhatsAppSendActivitiesImpl sends;
  private final SendRateLimiter rate;
  private final int threads;
  private final Duration lease;
  private final Duration hold;
  private final Runnable relayed;
  private final String me = "dispatcher-" + UUID.randomUUID();
  private final Semaphore wake = new Semaphore(0);
  private Semaphore free;
  private ExecutorService pool;
  private volatile boolean running;
  private Thread thread;

  /**
   * @param threads sends in flight at once (Twilio answers in ~0.2 s: 16 keep 80 msg/s going)
   * @param lease how long a taken row is this instance's before another may take it again
   * @param hold how long a report waits in the relay so the message's first callbacks go with it in one signal
   * @param relayed told when a report was queued
   */
  public SendDispatcher(Jdbi jdbi, WhatsAppSendActivitiesImpl sends, SendRateLimiter rate, int threads,
      Duration lease, Duration hold, Runnable relayed) {
    if (threads < 1) {
      throw new IllegalArgumentException("the dispatcher needs at least one thread: " + threads);
    }
    this.jdbi = jdbi;
    this.sends = sends;
    this.rate = rate;
    this.threads = threads;
    this.lease = lease;
    this.hold = hold;
    this.relayed = relayed;
  }

  /** A send is due already: look now rather than at the next poll. */
  public void wake() {
    wake.release();
  }

  public void start() {
    free = new Semaphore(threads);
    AtomicInteger n = new AtomicInteger();
    pool = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "send-dispatcher-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    running = true;
    thread = new Thread(this::loop, "send-dispatcher");
    thread.setDaemon(true);
    thread.start();
    log.info("whatsapp dispatcher {} started: {} sends in flight at most, {} msg/s shared", me, threads, rate.mps());
  }

  private void loop() {
    while (running) {
      try {
        free.acquire();
        int room = free.availablePermits() + 1;
        List<Taken> due = take(Math.min(room, rate.mps()));
        free.release();
        if (due.isEmpty()) {
          wake.tryAcquire(200, TimeUnit.MILLISECONDS);
          wake.drainPermits();
          continue;
        }
        for (Taken row : due) {
          if (!running) {
            return;
          }
          free.acquire();
          pool.execute(() -> {
            try {
              dispatch(row);
            } finally {
              free.release();
            }
          });
        }
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        log.warn("whatsapp dispatcher: {} (retrying in 1 s)", e.toString());
        sleepQuietly();
      }
    }
  }

  private List<Taken> take(int n) {
    return jdbi.withHandle(h -> h.createQuery(TAKE).bind("me", me).bind("lease", lease.toMillis()).bind("n", n)
        .map((rs, ctx) -> new Taken(rs.getObject("reminder_id", UUID.class), rs.getString("attempt_key"),
            rs.getTimestamp("due_at").toInstant(), rs.getString("message"))).list());
  }

  private void release(Taken row) {
    jdbi.useHandle(h -> h.createUpdate("""
        UPDATE send_queue SET taken_by = NULL, lease_until = NULL
         WHERE reminder_id = :reminder AND attempt_key = :key AND taken_by = :me""")
        .bind("reminder", row.reminderId()).bind("key", row.attemptKey()).bind("me", me).execute());
  }

  /** One send, its log lines carrying the reminder's id ({@code reminder_id} in the MDC). */
  private void dispatch(Taken row) {
    try (org.slf4j.MDC.MDCCloseable mdc =
        org.slf4j.MDC.putCloseable("reminder_id", String.valueOf(row.reminderId()))) {
      dispatchRow(row);
    }
  }

  /** One send, then its report queued for the workflow in the transaction that removes the row. */
  private void dispatchRow(Taken row) {
    DispatchReport report;
    try {
      OutboundMessage message = Payloads.read(row.message(), OutboundMessage.class);
      // The send takes its slot of the sender's cap right before the Twilio call, so it goes out in that second.
      SendOutcome outcome = sends.send(message);
      if (outcome.result() == SendOutcome.Result.NO_SLOT) {
        release(row);
        return;
      }
      report = DispatchReport.sent(row.attemptKey(), outcome, null);
    } catch (ApplicationFailure failure) {
      log.warn("whatsapp dispatch reminder={} attempt={} handed back to its workflow: {}", row.reminderId(),
          row.attemptKey(), failure.getOriginalMessage());
      report = DispatchReport.handBack(row.attemptKey(), failure.getOriginalMessage());
    } catch (RuntimeException e) {
      // The database or something unexpected: the row stays taken, and is taken again when the lease runs out.
      log.warn("whatsapp dispatch reminder={} attempt={} failed, retried after the lease: {}", row.reminderId(),
          row.attemptKey(), e.toString());
      return;
    }
    DispatchReport done = report;
    // One statement, so one round trip and atomic by itself: the row leaves the queue as its report is queued.
    jdbi.useHandle(h -> h.createUpdate("""
        WITH gone AS (DELETE FROM send_queue WHERE reminder_id = :reminder AND attempt_key = :key)
        INSERT INTO status_relay (reminder_id, attempt_key, outcome, message_sid, next_attempt_at)
        VALUES (:reminder, :key, CAST(:outcome AS jsonb), :sid, now() + :hold * interval '1 millisecond')""")
        .bind("reminder", row.reminderId()).bind("key", row.attemptKey())
        .bind("outcome", Payloads.write(done))
        .bind("sid", done.outcome() == null ? null : done.outcome().messageSid())
        .bind("hold", hold.toMillis()).execute());
    relayed.run();
  }

  public void stop() throws InterruptedException {
    running = false;
    if (thread != null) {
      thread.interrupt();
      thread.join(5000);
    }
    if (pool != null) {
      pool.shutdown();
      // Sends under way finish (each is bounded by the HTTP client's timeouts); what is left is taken again later.
      pool.awaitTermination(30, TimeUnit.SECONDS);
    }
  }

  private static void sleepQuietly() {
    try {
      Thread.sleep(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
