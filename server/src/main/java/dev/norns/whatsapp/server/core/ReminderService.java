package dev.norns.whatsapp.server.core;

import dev.norns.whatsapp.activities.db.Json;
import dev.norns.whatsapp.activities.db.ReminderDao;
import dev.norns.whatsapp.activities.db.ReminderRow;
import dev.norns.whatsapp.server.api.ReminderRequest;
import dev.norns.whatsapp.server.api.ReminderView;
import dev.norns.whatsapp.server.errors.ApiException;
import dev.norns.whatsapp.workflows.ReminderSearchAttributes;
import dev.norns.whatsapp.workflows.TaskQueues;
import dev.norns.whatsapp.workflows.WorkflowIds;
import dev.norns.whatsapp.workflows.model.ReminderInput;
import dev.norns.whatsapp.workflows.model.ReminderState;
import dev.norns.whatsapp.workflows.model.ReminderStatus;
import dev.norns.whatsapp.workflows.reminder.ReminderWorkflow;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reminders: PostgreSQL row first (the system of record), then the workflow that carries it out. */
public final class ReminderService {
  private static final Logger log = LoggerFactory.getLogger(ReminderService.class);
  private static final Duration SIGNAL_WAIT = Duration.ofSeconds(5);

  private final Jdbi jdbi;
  private final WorkflowClient temporal;
  private final ReminderRequests requests;
  private final Duration confirmTimeout;
  private final Duration readTimeout;
  private final Clock clock;

  public ReminderService(Jdbi jdbi, WorkflowClient temporal, ReminderRequests requests, Duration confirmTimeout,
      Duration readTimeout, Clock clock) {
    this.jdbi = jdbi;
    this.temporal = temporal;
    this.requests = requests;
    this.confirmTimeout = confirmTimeout;
    this.readTimeout = readTimeout;
    this.clock = clock;
  }

  /** The reminder, and whether this call created it (false: the idempotency key named an existing one). */
  public record Scheduled(ReminderView reminder, boolean created) {}

  public Scheduled schedule(ReminderRequest request, String idempotencyKey) {
    if (idempotencyKey != null && (idempotencyKey.isBlank() || idempotencyKey.length() > 255)) {
      throw ApiException.invalid("Idempotency-Key", "Idempotency-Key must be 1 to 255 characters");
    }
    Optional<Scheduled> earlier = byIdempotencyKey(idempotencyKey);
    if (earlier.isPresent()) {
      return earlier.get();
    }
    ReminderRequests.Valid valid = requests.validate(request);
    UUID id = UUID.randomUUID();
    boolean inserted = jdbi.withExtension(ReminderDao.class, dao -> dao.insert(id, valid.user().id(),
        valid.templateName(), Json.write(valid.variables()), valid.body(), valid.dueAt(), idempotencyKey,
        valid.nudgeEvery() == null ? null : (int) valid.nudgeEvery().toSeconds(), valid.nudgeMax()));
    if (!inserted) {
      return byIdempotencyKey(idempotencyKey).orElseThrow();
    }
    ReminderRow row = find(id);
    try {
      start(row);
    } catch (RuntimeException e) {
      jdbi.useExtension(ReminderDao.class, dao -> dao.deleteUnstarted(id));
      log.error("whatsapp reminder {} not scheduled: Temporal refused the workflow: {}", id, e.toString());
      throw new ApiException(503, null, "the scheduler is unavailable; nothing was stored, try again");
    }
    log.info("whatsapp reminder {} scheduled for {} user={}", id, valid.dueAt(), valid.user().id());
    ReminderView view = ReminderView.of(row);
    if (!valid.dueAt().isAfter(clock.instant())) {
      view = view.withNote("due_at is in the past: sending now");
    }
    return new Scheduled(view, true);
  }

  private Optional<Scheduled> byIdempotencyKey(String key) {
    if (key == null) {
      return Optional.empty();
    }
    return jdbi.withExtension(ReminderDao.class, dao -> dao.findByIdempotencyKey(key))
        .map(row -> new Scheduled(view(row), false));
  }

  /**
   * Starts the reminder's workflow; throws if one with its id already exists. It starts with its search attributes
   * and a one-line memo so that operators find it in the Temporal UI before it has run at all.
   */
  public void start(ReminderRow row) {
    String userId = row.userId().toString();
    ReminderWorkflow workflow = temporal.newWorkflowStub(ReminderWorkflow.class, WorkflowOptions.newBuilder()
        .setWorkflowId(WorkflowIds.reminder(row.id().toString()))
        .setTaskQueue(TaskQueues.REMINDERS)
        .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE)
        .setTypedSearchAttributes(ReminderSearchAttributes.initial(userId, row.dueAt()))
        .setMemo(ReminderSearchAttributes.memo(row.templateName(), userId, row.dueAt()))
        .build());
    WorkflowClient.start(workflow::run, new ReminderInput(row.id().toString(), userId,
        row.templateName(), Json.readMap(row.variables()), row.body(), row.dueAt(), confirmTimeout, readTimeout,
        row.nudgeEverySeconds() == null || row.nudgeMax() == null ? null
            : new ReminderInput.Nudge(Duration.ofSeconds(row.nudgeEverySeconds()), row.nudgeMax())));
  }

  /**
   * Waits up to {@code timeout} for Twilio to accept or refuse the reminder (any status past SENDING) and returns it
   * as it is then.
   */
  public ReminderView awaitOutcome(UUID id, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    ReminderView view = get(id);
    while (System.nanoTime() < deadline && (view.status().equals(ReminderStatus.SCHEDULED.name())
        || view.status().equals(ReminderStatus.SENDING.name()))) {
      sleep();
      view = get(id);
    }
    return view;
  }

  public ReminderView get(UUID id) {
    return view(find(id));
  }

  public List<ReminderView> list(UUID userId, ReminderStatus status, int limit) {
    return jdbi.withExtension(ReminderDao.class, dao -> dao.list(userId, status == null ? null : status.name(),
        limit)).stream().map(ReminderView::of).toList();
  }

  public ReminderView cancel(UUID id) {
    ReminderRow row = pending(id, "cancel");
    stub(id).cancel();
    return awaitState(row, s -> s.status() != ReminderStatus.SCHEDULED, "cancel");
  }

  public ReminderView reschedule(UUID id, String dueAt) {
    Instant next = requests.dueAt("due_at", dueAt);
    ReminderRow row = pending(id, "reschedule");
    stub(id).reschedule(next);
    return awaitState(row, s -> s.status() != ReminderStatus.SCHEDULED || next.equals(s.dueAt()), "reschedule");
  }

  /** A reminder that has not started sending, or a 404/409 saying why not. */
  private ReminderRow pending(UUID id, String action) {
    ReminderRow row = find(id);
    ReminderStatus status = state(row).map(ReminderState::status)
        .orElse(ReminderStatus.valueOf(row.status()));
    if (status != ReminderStatus.SCHEDULED) {
      throw ApiException.conflict("reminder_id", "cannot " + action + " reminder " + id + ": it is " + status);
    }
    return row;
  }

  /** Signals are asynchronous: wait briefly for the workflow to show their effect, so the answer is the outcome. */
  private ReminderView awaitState(ReminderRow row, Predicate<ReminderState> done, String action) {
    long deadline = System.nanoTime() + SIGNAL_WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      Optional<ReminderState> state = state(row);
      if (state.isPresent() && done.test(state.get())) {
        ReminderView view = ReminderView.of(row).withWorkflowState(state.get());
        if (state.get().status() != ReminderStatus.SCHEDULED && state.get().status() != ReminderStatus.CANCELLED) {
          throw ApiException.conflict("reminder_id", "cannot " + action + " reminder " + row.id()
              + ": it started sending first (" + state.get().status() + ")");
        }
        return view;
      }
      sleep();
    }
    return view(find(row.id()));
  }

  private ReminderView view(ReminderRow row) {
    ReminderView stored = ReminderView.of(row);
    if (ReminderStatus.valueOf(row.status()).isFinal()) {
      return stored;
    }
    return state(row).map(stored::withWorkflowState).orElse(stored);
  }

  private Optional<ReminderState> state(ReminderRow row) {
    try {
      return Optional.ofNullable(stub(row.id()).getState());
    } catch (RuntimeException e) {
      log.debug("reminder {} state from PostgreSQL: workflow query failed: {}", row.id(), e.toString());
      return Optional.empty();
    }
  }

  private ReminderWorkflow stub(UUID id) {
    return temporal.newWorkflowStub(ReminderWorkflow.class, WorkflowIds.reminder(id.toString()));
  }

  private ReminderRow find(UUID id) {
    return jdbi.withExtension(ReminderDao.class, dao -> dao.find(id))
        .orElseThrow(() -> ApiException.notFound("reminder_id", "no reminder " + id));
  }

  private static void sleep() {
    try {
      Thread.sleep(50);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ApiException(503, null, "interrupted");
    }
  }
}
