package dev.norns.whatsapp.server.core;

import dev.norns.whatsapp.activities.db.ReminderDao;
import dev.norns.whatsapp.activities.db.ReminderRow;
import dev.norns.whatsapp.activities.db.UserDao;
import dev.norns.whatsapp.activities.db.UserRow;
import io.dropwizard.lifecycle.Managed;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the workflows of reminders that were stored without one ({@code workflow_start_at} set): those an API request
 * left to it under a burst, and those whose start Temporal refused. Soonest due first, a few at once, each row held by
 * a lease ({@code SKIP LOCKED}), so every instance can run one and a stopped instance's rows are taken by another. A
 * start that fails is tried again two seconds later; a reminder is never dropped, and never started twice (its
 * workflow id is its reminder id, reject-duplicate). Woken by the API; polls every second.
 */
public final class WorkflowStarter implements Managed {
  private static final Logger log = LoggerFactory.getLogger(WorkflowStarter.class);
  static final int BATCH = 32;
  private static final int PARALLEL = 4;
  private static final int LEASE_SECONDS = 30;
  private static final int RETRY_SECONDS = 2;

  private final Jdbi jdbi;
  private final ReminderService reminders;
  private final Semaphore wake = new Semaphore(0);
  private final ExecutorService starts = Executors.newFixedThreadPool(PARALLEL, r -> {
    Thread t = new Thread(r, "workflow-starter-start");
    t.setDaemon(true);
    return t;
  });
  private volatile boolean running;
  private volatile boolean busy;
  private volatile String lastFailure;
  private Thread thread;

  public WorkflowStarter(Jdbi jdbi, ReminderService reminders) {
    this.jdbi = jdbi;
    this.reminders = reminders;
  }

  public void wake() {
    wake.release();
  }

  /** True while its last batch found reminders to start: more may be waiting. */
  public boolean busy() {
    return busy;
  }

  @Override
  public void start() {
    running = true;
    thread = new Thread(this::loop, "workflow-starter");
    thread.setDaemon(true);
    thread.start();
  }

  @Override
  public void stop() throws InterruptedException {
    running = false;
    wake.release();
    if (thread != null) {
      thread.join(TimeUnit.SECONDS.toMillis(10));
    }
    starts.shutdown();
    starts.awaitTermination(5, TimeUnit.SECONDS);
  }

  private void loop() {
    while (running) {
      try {
        while (running && startBatch() == BATCH) {
          // a full batch: more wait
        }
        wake.tryAcquire(1, TimeUnit.SECONDS);
        wake.drainPermits();
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        note("whatsapp workflow starter: {} (retrying)", e);
        sleep();
      }
    }
  }

  /** Starts one batch of waiting reminders; returns how many it took. */
  int startBatch() {
    List<ReminderRow> due = jdbi.withExtension(ReminderDao.class, dao -> dao.claimUnstarted(BATCH, LEASE_SECONDS));
    busy = !due.isEmpty();
    // The batch's users in one query (each start's summary names its user), not one query per start.
    Map<UUID, UserRow> users = new HashMap<>();
    if (!due.isEmpty()) {
      UUID[] ids = due.stream().map(ReminderRow::userId).distinct().toArray(UUID[]::new);
      jdbi.withExtension(UserDao.class, dao -> dao.findAll(ids)).forEach(user -> users.put(user.id(), user));
    }
    List<Future<?>> started = new ArrayList<>();
    for (ReminderRow row : due) {
      Optional<UserRow> user = Optional.ofNullable(users.get(row.userId()));
      started.add(starts.submit(() -> startOne(row, user)));
    }
    for (Future<?> future : started) {
      try {
        future.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } catch (ExecutionException e) {
        // startOne handles its own failures
      }
    }
    return due.size();
  }

  private void startOne(ReminderRow row, Optional<UserRow> user) {
    try {
      reminders.startStored(row, user);
      lastFailure = null;
    } catch (RuntimeException e) {
      note("whatsapp workflow starter: reminder " + row.id() + " not started yet, trying again: {}", e);
      try {
        jdbi.useExtension(ReminderDao.class, dao -> dao.startAgainAt(row.id(),
            Instant.now().plusSeconds(RETRY_SECONDS)));
      } catch (RuntimeException postgresToo) {
        // its lease runs out and it is taken again
      }
    }
  }

  /** Logs a failure once until something succeeds again (Temporal down must not flood the log). */
  private void note(String message, RuntimeException e) {
    String what = e.toString();
    if (!what.equals(lastFailure)) {
      log.warn(message, what);
    }
    lastFailure = what;
  }

  private static void sleep() {
    try {
      Thread.sleep(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
