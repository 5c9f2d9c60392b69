package dev.norns.whatsapp.server.core;

import dev.norns.whatsapp.activities.db.Json;
import dev.norns.whatsapp.activities.db.ReminderDao;
import dev.norns.whatsapp.activities.db.ReminderRow;
import dev.norns.whatsapp.activities.db.UserDao;
import dev.norns.whatsapp.activities.reminder.SendQueue;
import dev.norns.whatsapp.workflows.model.OutboundMessage;
import dev.norns.whatsapp.activities.db.UserRow;
import dev.norns.whatsapp.server.api.ReminderRequest;
import dev.norns.whatsapp.server.api.Page;
import dev.norns.whatsapp.server.api.PageCursor;
import dev.norns.whatsapp.server.api.ReminderView;
import dev.norns.whatsapp.server.temporal.WorkflowDeletion;
import dev.norns.whatsapp.server.errors.ApiException;
import dev.norns.whatsapp.server.errors.DependencyUnavailableException;
import dev.norns.whatsapp.workflows.ReminderSearchAttributes;
import dev.norns.whatsapp.workflows.TaskQueues;
import dev.norns.whatsapp.workflows.WorkflowIds;
import dev.norns.whatsapp.workflows.model.Channel;
import dev.norns.whatsapp.workflows.model.Phase;
import dev.norns.whatsapp.workflows.model.QuietHours;
import dev.norns.whatsapp.workflows.model.ReminderEdit;
import dev.norns.whatsapp.workflows.model.ReminderInput;
import dev.norns.whatsapp.workflows.model.ReminderState;
import dev.norns.whatsapp.workflows.model.ReminderStatus;
import dev.norns.whatsapp.workflows.reminder.ReminderWorkflow;
import dev.norns.whatsapp.workflows.reminder.Refusals;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowUpdateException;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.function.Function;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reminders: PostgreSQL row first (the system of record), then the workflow that carries it out. A request starts its
 * reminder's workflow itself while few starts are in flight; under a burst the row is stored with
 * {@code workflow_start_at} set and the {@link WorkflowStarter} starts it moments later, soonest due first, so that
 * scheduling runs at PostgreSQL's pace rather than at the rate the Temporal server starts workflows.
 */
public final class ReminderService {
  private static final Logger log = LoggerFactory.getLogger(ReminderService.class);
  private static final DateTimeFormatter DUE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");
  /** How long a request's own start holds the row before the starter may try it (the request died meanwhile). */
  static final Duration INLINE_HOLD = Duration.ofSeconds(30);
  /** After Temporal refused a start, requests leave starts to the starter this long instead of waiting on Temporal. */
  private static final long REFUSED_PAUSE_NANOS = Duration.ofSeconds(5).toNanos();

  private final Jdbi jdbi;
  private final WorkflowClient temporal;
  private final ReminderRequests requests;
  private final Duration confirmTimeout;
  private final Duration readTimeout;
  private final ReminderInput.Dispatch dispatch;
  private final Clock clock;
  /** Workflow starts that API requests make themselves at once; more requests leave theirs to the starter. */
  private final Semaphore inlineStarts;
  private volatile Runnable starterWake = () -> { };
  private volatile java.util.function.BooleanSupplier starterBusy = () -> false;
  private volatile long refusedAt = System.nanoTime() - REFUSED_PAUSE_NANOS;

  public ReminderService(Jdbi jdbi, WorkflowClient temporal, ReminderRequests requests, Duration confirmTimeout,
      Duration readTimeout, ReminderInput.Dispatch dispatch, int inlineStarts, Clock clock) {
    this.inlineStarts = new Semaphore(inlineStarts);
    this.jdbi = jdbi;
    this.temporal = temporal;
    this.requests = requests;
    this.confirmTimeout = confirmTimeout;
    this.readTimeout = readTimeout;
    this.dispatch = dispatch;
    this.clock = clock;
  }

  /** The workflow starter to wake when a stored reminder waits for its workflow, and whether it has a backlog. */
  public void onWorkflowToStart(Runnable wake, java.util.function.BooleanSupplier busy) {
    this.starterWake = wake;
    this.starterBusy = busy;
  }

  /** The reminder, and whether this call created it (false: the idempotency key named an existing one). */
  public record Scheduled(ReminderView reminder, boolean created) {}

  public Scheduled schedule(ReminderRequest request, String idempotencyKey) {
    return schedule(request, idempotencyKey, true);
  }

  /**
   * {@code dueAtGiven} false: the due time is "now", set by the caller (a proactive send), so a retry with the same
   * Idempotency-Key is the same request whatever its due time.
   */
  public Scheduled schedule(ReminderRequest request, String idempotencyKey, boolean dueAtGiven) {
    ReminderRequests.checkIdempotencyKey(idempotencyKey);
    Optional<Scheduled> earlier = byIdempotencyKey(idempotencyKey, request, dueAtGiven);
    if (earlier.isPresent()) {
      return earlier.get();
    }
    if (request != null && request.recurrence() != null) {
      throw ApiException.invalid("recurrence", "recurrence is for POST /api/reminders only");
    }
    ReminderRequests.Valid valid = requests.validate(request);
    Optional<ReminderRow> row = insertAndStart(UUID.randomUUID(), valid, idempotencyKey, null, true);
    if (row.isEmpty()) {
      return byIdempotencyKey(idempotencyKey, request, dueAtGiven).orElseThrow();
    }
    ReminderView view = ReminderView.of(row.get());
    if (!valid.dueAt().isAfter(clock.instant())) {
      view = view.withNote("due_at is in the past: sending now");
    }
    return new Scheduled(view, true);
  }

  /**
   * Stores the reminder (deferred out of the user's quiet hours when it respects them) and has its workflow started;
   * empty when the id or the idempotency key exists already. {@code mayDefer}: the start may be left to the
   * {@link WorkflowStarter} (an API request: the row is the commitment); otherwise it is made here, and a start
   * Temporal refused is thrown (the series activity that calls it is retried and finds the row).
   */
  Optional<ReminderRow> insertAndStart(UUID id, ReminderRequests.Valid valid, String idempotencyKey, UUID seriesId,
      boolean mayDefer) {
    QuietHours quiet = valid.quiet();
    Instant release = quiet == null ? valid.dueAt() : quiet.release(valid.dueAt());
    Instant deferred = release.equals(valid.dueAt()) ? null : release;
    // While the starter has a backlog a request does not jump it: its reminder is started in due order.
    boolean inline = !mayDefer || (System.nanoTime() - refusedAt >= REFUSED_PAUSE_NANOS
        && !starterBusy.getAsBoolean() && inlineStarts.tryAcquire());
    boolean permit = inline && mayDefer;
    try {
      Instant startAt = inline ? Instant.now().plus(INLINE_HOLD) : Instant.now();
      Optional<ReminderRow> inserted = jdbi.withExtension(ReminderDao.class, dao -> dao.insert(id, valid.user().id(),
          valid.templateName(), Json.write(valid.variables()), valid.body(), valid.dueAt(), idempotencyKey,
          valid.nudgeEvery() == null ? null : (int) valid.nudgeEvery().toSeconds(), valid.nudgeMax(),
          valid.quietHours(), deferred, deferred == null ? null : quiet.describe(), seriesId, startAt));
      if (inserted.isEmpty()) {
        return Optional.empty();
      }
      ReminderRow row = inserted.get();
      if (inline) {
        try {
          startStored(row, Optional.of(valid.user()));
        } catch (RuntimeException e) {
          if (!mayDefer) {
            throw e;
          }
          refusedAt = System.nanoTime();
          jdbi.useExtension(ReminderDao.class, dao -> dao.startAgainAt(id, Instant.now()));
          log.warn("whatsapp reminder {} stored; Temporal refused its workflow for now ({}): the workflow starter "
              + "starts it when Temporal answers", id, e.toString());
          starterWake.run();
        }
      } else {
        starterWake.run();
      }
      log.info("whatsapp reminder {} scheduled for {}{} user={}{}", id, valid.dueAt(),
          deferred == null ? "" : " (deferred to " + deferred + " by the " + quiet.describe() + ")",
          valid.user().id(), inline ? "" : " (workflow started by the starter)");
      return Optional.of(row);
    } finally {
      if (permit) {
        inlineStarts.release();
      }
    }
  }

  /**
   * Starts a stored reminder's workflow (one that exists already counts as started), records that Temporal has it,
   * then queues a send that falls due within the dispatch lead.
   */
  void startStored(ReminderRow row, Optional<UserRow> knownUser) {
    try {
      start(row, knownUser);
    } catch (io.temporal.client.WorkflowExecutionAlreadyStarted already) {
      // started before (a retried start, another instance)
    }
    workflowStarted(row.id());
    queueIfDueSoon(row);
  }

  private void workflowStarted(UUID id) {
    jdbi.useHandle(handle -> handle.createUpdate(ReminderDao.WORKFLOW_STARTED).bind("id", id).execute());
  }

  /** Before a command reaches the workflow: a reminder stored moments ago may not have one yet. */
  private void ensureStarted(ReminderRow row) {
    if (jdbi.withExtension(ReminderDao.class, dao -> dao.workflowPending(row.id())).orElse(false)) {
      startStored(row, Optional.empty());
    }
  }

  /**
   * The reminder an Idempotency-Key already made: the same answer for the same key and body (200); the same key with
   * a different body is a client mistake, a 422, and nothing is stored.
   */
  private Optional<Scheduled> byIdempotencyKey(String key, ReminderRequest request, boolean dueAtGiven) {
    if (key == null) {
      return Optional.empty();
    }
    Optional<ReminderRow> earlier = jdbi.withExtension(ReminderDao.class, dao -> dao.findByIdempotencyKey(key));
    if (earlier.isPresent() && !sameRequest(earlier.get(), request, dueAtGiven)) {
      throw ApiException.invalid("Idempotency-Key", "this Idempotency-Key was used for reminder "
          + earlier.get().id() + " with a different request; use a new key for a new reminder");
    }
    return earlier.map(row -> new Scheduled(view(row), false));
  }

  private static boolean sameRequest(ReminderRow row, ReminderRequest request, boolean dueAtGiven) {
    if (request == null) {
      return false;
    }
    Instant due;
    try {
      due = request.dueAt() == null ? null : java.time.OffsetDateTime.parse(request.dueAt().strip()).toInstant();
    } catch (java.time.format.DateTimeParseException e) {
      return false;
    }
    Integer every = null;
    if (request.nudge() != null && request.nudge().every() != null) {
      try {
        every = (int) Duration.parse(request.nudge().every()).toSeconds();
      } catch (java.time.format.DateTimeParseException e) {
        return false;
      }
    }
    return ReminderRequests.sameContent(row.userId(), row.templateName(), row.variables(), row.body(), request)
        && (!dueAtGiven || row.dueAt().equals(due))
        && java.util.Objects.equals(row.nudgeEverySeconds(), every)
        && java.util.Objects.equals(row.nudgeMax(), request.nudge() == null ? null : request.nudge().max());
  }

  /**
   * Starts the reminder's workflow; throws if one with its id already exists. It starts with its search attributes and
   * a one-line summary so that operators find it in the Temporal UI before it has run at all. A row that is past
   * SCHEDULED (PostgreSQL starting it again after Temporal lost it) resumes where the row says it stood: its phase,
   * round, nudges sent and message, so nothing sent is sent again.
   */
  public void start(ReminderRow row) {
    start(row, Optional.empty());
    workflowStarted(row.id());
  }

  /** As {@link #start(ReminderRow)}, with the reminder's user when the caller already read it. */
  private void start(ReminderRow row, Optional<UserRow> knownUser) {
    String userId = row.userId().toString();
    Optional<UserRow> user = knownUser.isPresent() ? knownUser
        : jdbi.withExtension(UserDao.class, dao -> dao.find(row.userId()));
    String summary = summary(row, user);
    QuietHours quiet = ReminderRequests.RESPECT.equals(row.quietHours())
        ? user.map(UserRow::quietHours).orElse(null) : null;
    ReminderWorkflow workflow = temporal.newWorkflowStub(ReminderWorkflow.class, WorkflowOptions.newBuilder()
        .setWorkflowId(WorkflowIds.reminder(row.id().toString()))
        .setTaskQueue(TaskQueues.REMINDERS)
        .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE)
        .setTypedSearchAttributes(ReminderSearchAttributes.initial(userId, row.dueAt()))
        .setMemo(ReminderSearchAttributes.memo(row.templateName(), userId, row.dueAt()))
        .setStaticSummary(summary)
        .build());
    WorkflowClient.start(workflow::run, new ReminderInput(row.id().toString(), userId,
        row.templateName(), Json.readMap(row.variables()), row.body(), row.dueAt(), confirmTimeout, readTimeout,
        row.nudgeEverySeconds() == null || row.nudgeMax() == null ? null
            : new ReminderInput.Nudge(Duration.ofSeconds(row.nudgeEverySeconds()), row.nudgeMax()),
        summary, resume(row), dispatch, quiet));
  }

  /** Starts the row's workflow unless it runs or ran already (an occurrence made twice, a crash in between). */
  void startIfNotStarted(ReminderRow row) {
    startStored(row, Optional.empty());
  }

  /** Where a stored reminder stood, for a workflow started again; null for one that was only ever scheduled. */
  static ReminderState resume(ReminderRow row) {
    Phase phase = row.phase() == null ? Phase.SCHEDULED : Phase.valueOf(row.phase());
    if (phase == Phase.SCHEDULED && row.attempts() == 0 && row.round() <= 1) {
      return null;
    }
    return new ReminderState(row.id().toString(), ReminderStatus.valueOf(row.status()), phase, row.dueAt(),
        row.channel() == null ? null : Channel.valueOf(row.channel().toUpperCase(java.util.Locale.ROOT)),
        row.channelReason(), row.messageSid(), row.attempts(), row.lastErrorCode(), row.lastError(), row.sentAt(),
        row.firstSentAt(), row.round(), row.nudgesSent(), row.deferredUntil(), row.deferredReason());
  }

  /** "Reminder for Ada Lovelace: "Ship the release", due 2026-11-26 17:00 Europe/London" for the Temporal UI. */
  private static String summary(ReminderRow row, Optional<UserRow> user) {
    ZoneId zone = user.map(u -> ReminderRequests.zoneOf(u.timezone())).orElse(ZoneOffset.UTC);
    String what = ReminderRequests.subject(row.variables(), row.body(), row.templateName());
    return "Reminder for " + user.map(UserRow::displayName).orElse(row.userId().toString()) + ": \"" + what
        + "\", due " + DUE.format(row.dueAt().atZone(zone)) + " " + zone.getId();
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

  /**
   * The reminder: its row overlaid with the live workflow state. While PostgreSQL is unreachable, a reminder whose
   * workflow runs is still answered from the workflow alone ({@code "source":"workflow"}, without its content).
   */
  public ReminderView get(UUID id) {
    try {
      return view(find(id));
    } catch (RuntimeException e) {
      if (DependencyUnavailableException.find(e) == null) {
        throw e;
      }
      ReminderState state;
      try {
        state = stub(id).getState();
      } catch (RuntimeException temporalToo) {
        throw e;
      }
      if (state == null) {
        throw e;
      }
      return ReminderView.fromWorkflow(state);
    }
  }

  /** A page of reminders, latest due first, and the cursor of the next page (null at the end). */
  public Page<ReminderView> list(UUID userId, UUID seriesId, List<ReminderStatus> statuses, Instant dueFrom, Instant dueTo,
      int limit, String cursor) {
    PageCursor after = PageCursor.parse(cursor);
    String[] wanted = statuses.isEmpty() ? null : statuses.stream().map(Enum::name).toArray(String[]::new);
    List<ReminderRow> rows = jdbi.withExtension(ReminderDao.class, dao -> dao.list(userId, seriesId, wanted, dueFrom,
        dueTo, after == null ? null : after.at(), after == null ? null : after.id(), limit + 1));
    return Page.of(rows, limit, row -> new PageCursor(row.dueAt(), row.id().toString()), ReminderView::of);
  }

  /** Cancels through the workflow's update: the answer is the reminder after it, or 409 with the reason. */
  public ReminderView cancel(UUID id) {
    ReminderRow row = find(id);
    return command(row, "cancel", ReminderWorkflow::cancel);
  }

  public ReminderView reschedule(UUID id, String dueAt) {
    Instant next = requests.dueAt("due_at", dueAt);
    ReminderRow row = find(id);
    return command(row, "reschedule", workflow -> workflow.reschedule(next));
  }

  /**
   * New text, variables or template for a reminder not sent yet: validated as a whole (the edit merged onto what it
   * has), applied through the workflow's update, then stored.
   */
  public ReminderView edit(UUID id, ReminderRequest change) {
    ReminderRow row = find(id);
    if (change == null || (change.templateName() == null && change.variables() == null && change.body() == null)) {
      throw ApiException.invalid(null, "nothing to change: give template_name, variables or body");
    }
    String template = change.templateName() != null ? change.templateName() : row.templateName();
    Map<String, String> variables = change.variables() != null ? change.variables()
        : change.templateName() != null ? Map.of() : Json.readMap(row.variables());
    String body = change.body() != null ? change.body() : row.body();
    ReminderRequests.Valid valid = requests.validate(new ReminderRequest(row.userId().toString(), template,
        variables, body, row.dueAt().toString(), null));
    ReminderEdit edit = new ReminderEdit(valid.templateName(), valid.variables(), valid.body());
    ReminderView view = command(row, "edit", workflow -> workflow.edit(edit));
    jdbi.useExtension(ReminderDao.class, dao -> dao.updateContent(id, valid.templateName(),
        Json.write(valid.variables()), valid.body()));
    return view(find(id));
  }

  /**
   * Runs one update and answers from its result: the workflow's validator (or the phase that took it) says why not,
   * which is a 409; a closed workflow is one whose reminder is over.
   */
  private ReminderView command(ReminderRow row, String action, Function<ReminderWorkflow, ReminderState> update) {
    ensureStarted(row);
    try {
      ReminderState state = update.apply(stub(row.id()));
      return ReminderView.of(row).withWorkflowState(state);
    } catch (WorkflowUpdateException refused) {
      throw ApiException.conflict("reminder_id", "cannot " + action + " reminder " + row.id() + ": "
          + Refusals.reasonOf(refused));
    } catch (WorkflowNotFoundException closed) {
      throw ApiException.conflict("reminder_id", "cannot " + action + " reminder " + row.id() + ": it is already "
          + find(row.id()).status());
    }
  }


  /**
   * A reminder due within the dispatch lead is queued for the dispatcher at once, as its workflow would queue it in its
   * first task: a burst scheduled shortly before it falls due then never waits for Temporal to run every workflow's
   * first task. After the workflow started (a reminder that was not stored is never queued); the workflow finds the
   * row as its own (same attempt key, same content). Best effort: if this fails the workflow queues it.
   */
  private void queueIfDueSoon(ReminderRow row) {
    Instant sendAt = row.deferredUntil() != null ? row.deferredUntil() : row.dueAt();
    if (dispatch == null || sendAt.minus(dispatch.ahead()).isAfter(clock.instant())) {
      return;
    }
    try {
      SendQueue.queue(jdbi, new OutboundMessage(row.id().toString(), OutboundMessage.FIRST_SEND,
          row.userId().toString(), null, null, row.templateName(), Json.readMap(row.variables()), row.body()),
          sendAt);
    } catch (RuntimeException e) {
      log.warn("whatsapp reminder {} not queued by the API (its workflow queues it): {}", row.id(), e.toString());
    }
  }

  /**
   * Before a user is erased: every reminder of theirs still running is cancelled through its workflow (a 409 if one is
   * being sent right now: the caller tries again in a moment), then all their reminders' workflows are deleted from
   * Temporal, whose histories hold the reminders' text.
   */
  public void forgetUser(UUID userId) {
    for (ReminderRow row : jdbi.withExtension(ReminderDao.class, dao -> dao.scheduledFor(userId))) {
      ensureStarted(row);
      try {
        stub(row.id()).cancel();
      } catch (WorkflowUpdateException refused) {
        String reason = Refusals.reasonOf(refused);
        if (!reason.contains("already over")) {
          throw ApiException.conflict("user_id", "reminder " + row.id() + " cannot be cancelled yet (" + reason
              + "); try again in a few seconds");
        }
      } catch (WorkflowNotFoundException closed) {
        // over already
      }
    }
    for (UUID id : jdbi.withExtension(ReminderDao.class, dao -> dao.idsOf(userId))) {
      WorkflowDeletion.delete(temporal, WorkflowIds.reminder(id.toString()));
    }
  }

  private ReminderView view(ReminderRow row) {
    ReminderView stored = ReminderView.of(row);
    if (row.done()) {
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
