package dev.norns.whatsapp.server.core;

import dev.norns.whatsapp.activities.db.Json;
import dev.norns.whatsapp.activities.db.ReminderDao;
import dev.norns.whatsapp.activities.db.ReminderRow;
import dev.norns.whatsapp.activities.db.SeriesDao;
import dev.norns.whatsapp.activities.db.SeriesRow;
import dev.norns.whatsapp.activities.db.UserDao;
import dev.norns.whatsapp.activities.db.UserRow;
import dev.norns.whatsapp.activities.series.Recurrence;
import dev.norns.whatsapp.server.api.Page;
import dev.norns.whatsapp.server.api.PageCursor;
import dev.norns.whatsapp.server.temporal.WorkflowDeletion;
import dev.norns.whatsapp.server.api.ReminderRequest;
import dev.norns.whatsapp.server.api.SeriesPatch;
import dev.norns.whatsapp.server.api.SeriesView;
import dev.norns.whatsapp.server.errors.ApiException;
import dev.norns.whatsapp.workflows.TaskQueues;
import dev.norns.whatsapp.workflows.WorkflowIds;
import dev.norns.whatsapp.workflows.series.SeriesInput;
import dev.norns.whatsapp.workflows.series.SeriesState;
import dev.norns.whatsapp.workflows.series.SeriesWorkflow;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowUpdateException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Recurring reminders. A series is a PostgreSQL row (its rule, zone, local start and content) and a workflow
 * {@code series:<id>} that keeps one reminder ahead: each occurrence is a reminder of its own, made by
 * {@link #createOccurrence} with an id that follows from the series, the due time and the series' generation, so
 * making it twice makes it once.
 */
public final class SeriesService {
  private static final Logger log = LoggerFactory.getLogger(SeriesService.class);

  private final Jdbi jdbi;
  private final WorkflowClient temporal;
  private final ReminderRequests requests;
  private final ReminderService reminders;
  private final Clock clock;

  public SeriesService(Jdbi jdbi, WorkflowClient temporal, ReminderRequests requests, ReminderService reminders,
      Clock clock) {
    this.jdbi = jdbi;
    this.temporal = temporal;
    this.requests = requests;
    this.reminders = reminders;
    this.clock = clock;
  }

  /** The series, and whether this call created it (false: the Idempotency-Key named an existing one). */
  public record Created(SeriesView series, boolean created) {}

  public Created create(ReminderRequest request, String idempotencyKey) {
    ReminderRequests.checkIdempotencyKey(idempotencyKey);
    Recurrence rule = recurrence(request.recurrence());
    if (idempotencyKey != null) {
      Optional<SeriesRow> earlier = jdbi.withExtension(SeriesDao.class, dao -> dao.findByIdempotencyKey(idempotencyKey));
      if (earlier.isPresent()) {
        if (!sameRequest(earlier.get(), rule, request)) {
          throw ApiException.invalid("Idempotency-Key", "this Idempotency-Key was used for series "
              + earlier.get().id() + " with a different request; use a new key for a new series");
        }
        return new Created(get(earlier.get().id()), false);
      }
    }
    ReminderRequests.Valid valid = requests.validate(request);
    ZoneId zone = ReminderRequests.zoneOf(valid.user().timezone());
    Instant now = clock.instant();
    // The series starts at due_at (or now, to the minute): the rule's own BYHOUR/BYMINUTE… win, the rest comes from it.
    Instant from = valid.dueAt() == null ? now.truncatedTo(ChronoUnit.MINUTES)
        : valid.dueAt().truncatedTo(ChronoUnit.SECONDS);
    LocalDateTime start = LocalDateTime.ofInstant(from, zone);
    // The first occurrence is at or after due_at, and never in the past.
    Instant after = valid.dueAt() == null || from.isBefore(now) ? now : from.minusMillis(1);
    Instant first = rule.next(zone, start, after);
    if (first == null) {
      throw ApiException.invalid("recurrence", "the rule has no occurrence after " + after + " in " + zone.getId()
          + " (COUNT or UNTIL is over)");
    }
    UUID id = UUID.randomUUID();
    boolean inserted = jdbi.withExtension(SeriesDao.class, dao -> dao.insert(id, valid.user().id(), rule.rule(),
        zone.getId(), start, valid.templateName(), Json.write(valid.variables()), valid.body(),
        valid.nudgeEvery() == null ? null : (int) valid.nudgeEvery().toSeconds(), valid.nudgeMax(),
        valid.quietHours(), idempotencyKey));
    if (!inserted) {
      return create(request, idempotencyKey);
    }
    SeriesRow row = find(id);
    String reminderId = createOccurrence(id, first, 0);
    SeriesState state = SeriesState.active(id.toString(), after).pending(reminderId, first);
    try {
      WorkflowClient.start(temporal.newWorkflowStub(SeriesWorkflow.class, WorkflowOptions.newBuilder()
          .setWorkflowId(WorkflowIds.series(id.toString()))
          .setTaskQueue(TaskQueues.REMINDERS)
          .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE)
          .setStaticSummary(summary(row, valid.user()))
          .build())::run, new SeriesInput(state, summary(row, valid.user())));
    } catch (RuntimeException e) {
      log.error("whatsapp series {} not started: Temporal refused the workflow: {}", id, e.toString());
      withdraw(reminderId);
      jdbi.useExtension(SeriesDao.class, dao -> dao.markCancelled(id));
      throw new ApiException(503, null, "the scheduler is unavailable; the series was not started, try again");
    }
    record(state);
    log.info("whatsapp series {} created for user={}: {} in {}, first occurrence {}", id, valid.user().id(),
        rule.rule(), zone.getId(), first);
    return new Created(get(id), true);
  }

  /**
   * Starts the series' workflow again from its row (Temporal's state lost): its coming occurrence as the row says, and
   * a generation no earlier run used, so an occurrence made again never takes the id of one withdrawn before. Throws
   * {@link io.temporal.client.WorkflowExecutionAlreadyStarted} when it runs.
   */
  public void restart(SeriesRow row) {
    Instant now = clock.instant();
    SeriesState.Status status = SeriesState.Status.valueOf(row.status());
    Instant cursor = row.nextDueAt() != null ? row.nextDueAt().minusMillis(1) : now;
    SeriesState state = new SeriesState(row.id().toString(), status, cursor,
        row.nextReminderId() == null ? null : row.nextReminderId().toString(), row.nextDueAt(), row.occurrences(),
        (int) (now.getEpochSecond() % 1_000_000_000L));
    if (state.nextReminderId() == null || state.nextDueAt() == null) {
      state = new SeriesState(state.seriesId(), status, now, null, null, row.occurrences(), state.generation());
    }
    UserRow user = jdbi.withExtension(UserDao.class, dao -> dao.find(row.userId())).orElseThrow();
    WorkflowClient.start(temporal.newWorkflowStub(SeriesWorkflow.class, WorkflowOptions.newBuilder()
        .setWorkflowId(WorkflowIds.series(row.id().toString()))
        .setTaskQueue(TaskQueues.REMINDERS)
        .setWorkflowIdReusePolicy(WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE)
        .setStaticSummary(summary(row, user))
        .build())::run, new SeriesInput(state, summary(row, user)));
  }

  /** The series with its live state and its coming occurrence. */
  public SeriesView get(UUID id) {
    SeriesRow row = find(id);
    SeriesView view = SeriesView.of(row);
    if (row.status().equals("ACTIVE") || row.status().equals("PAUSED")) {
      try {
        SeriesState state = stub(id).getState();
        if (state != null) {
          view = view.withState(state);
        }
      } catch (RuntimeException e) {
        log.debug("series {} state from PostgreSQL: workflow query failed: {}", id, e.toString());
      }
    }
    if (view.nextReminderId() != null) {
      try {
        view = view.withNextReminder(reminders.get(UUID.fromString(view.nextReminderId())));
      } catch (ApiException notYet) {
        // made a moment from now
      }
    }
    return view;
  }

  public Page<SeriesView> list(UUID userId, String status, int limit, String cursor) {
    PageCursor after = PageCursor.parse(cursor);
    List<SeriesRow> rows = jdbi.withExtension(SeriesDao.class, dao -> dao.list(userId, status,
        after == null ? null : after.at(), after == null ? null : after.id(), limit + 1));
    return Page.of(rows, limit, row -> new PageCursor(row.createdAt(), row.id().toString()), SeriesView::of);
  }

  public SeriesView pause(UUID id) {
    return command(id, "pause", SeriesWorkflow::pause);
  }

  public SeriesView resume(UUID id) {
    return command(id, "resume", SeriesWorkflow::resume);
  }

  public SeriesView cancel(UUID id) {
    return command(id, "cancel", SeriesWorkflow::cancel);
  }

  /** New rule or content from the next occurrence on, validated whole (the change merged onto what it has). */
  public SeriesView edit(UUID id, SeriesPatch patch) {
    SeriesRow row = find(id);
    if (patch == null || patch.empty()) {
      throw ApiException.invalid(null, "nothing to change: give recurrence, template_name, variables or body");
    }
    if (!row.status().equals("ACTIVE") && !row.status().equals("PAUSED")) {
      throw ApiException.conflict("series_id", "cannot edit series " + id + ": it is " + row.status());
    }
    Recurrence rule = patch.recurrence() == null ? recurrence(row.recurrence()) : recurrence(patch.recurrence());
    String template = patch.templateName() != null ? patch.templateName() : row.templateName();
    Map<String, String> variables = patch.variables() != null ? patch.variables()
        : patch.templateName() != null ? Map.of() : Json.readMap(row.variables());
    String body = patch.body() != null ? patch.body() : row.body();
    ReminderRequests.Valid valid = requests.validate(new ReminderRequest(row.userId().toString(), template,
        variables, body, null, null, "RRULE:" + rule.rule(), row.quietHours()));
    jdbi.useExtension(SeriesDao.class, dao -> dao.updateContent(id, rule.rule(), valid.templateName(),
        Json.write(valid.variables()), valid.body()));
    return command(id, "edit", SeriesWorkflow::edited);
  }

  /**
   * Before a user is erased: their running series are cancelled (with their coming occurrences), their content
   * erased, and every series workflow of theirs deleted from Temporal (its summary names the user and the task).
   */
  public void forgetUser(UUID userId) {
    for (UUID id : jdbi.withExtension(SeriesDao.class, dao -> dao.runningOf(userId))) {
      try {
        stub(id).cancel();
      } catch (WorkflowUpdateException | WorkflowNotFoundException over) {
        jdbi.useExtension(SeriesDao.class, dao -> dao.markCancelled(id));
      }
    }
    jdbi.useExtension(SeriesDao.class, dao -> dao.erase(userId));
    for (UUID id : jdbi.withExtension(SeriesDao.class, dao -> dao.idsOf(userId))) {
      WorkflowDeletion.delete(temporal, WorkflowIds.series(id.toString()));
    }
  }

  /**
   * The occurrence's reminder (made now, or found when it was made before) with the series' current content; its id
   * follows from the series, the due time and the generation. The series workflow calls this through an activity.
   */
  public String createOccurrence(UUID seriesId, Instant dueAt, int generation) {
    SeriesRow series = find(seriesId);
    UUID reminderId = UUID.nameUUIDFromBytes((seriesId + "/" + dueAt + "/" + generation)
        .getBytes(StandardCharsets.UTF_8));
    Optional<ReminderRow> existing = jdbi.withExtension(ReminderDao.class, dao -> dao.find(reminderId));
    if (existing.isPresent()) {
      reminders.startIfNotStarted(existing.get());
      return reminderId.toString();
    }
    UserRow user = jdbi.withExtension(UserDao.class, dao -> dao.find(series.userId())).orElseThrow();
    ReminderRequests.Valid valid = new ReminderRequests.Valid(user, series.templateName(),
        Json.readMap(series.variables()), series.body(), dueAt,
        series.nudgeEverySeconds() == null ? null : Duration.ofSeconds(series.nudgeEverySeconds()), series.nudgeMax(),
        series.quietHours());
    if (reminders.insertAndStart(reminderId, valid, null, seriesId, false).isEmpty()) {
      reminders.startIfNotStarted(jdbi.withExtension(ReminderDao.class, dao -> dao.find(reminderId)).orElseThrow());
    }
    return reminderId.toString();
  }

  /** The series' next occurrence after {@code after} by its current rule; null when none is left. */
  public Instant nextOccurrence(UUID seriesId, Instant after) {
    SeriesRow series = find(seriesId);
    return Recurrence.parse(series.recurrence()).next(ReminderRequests.zoneOf(series.timezone()), series.startsAtLocal(), after);
  }

  /** Cancels an occurrence's reminder if it was not sent yet; false when it is being sent or was sent. */
  public boolean withdraw(String reminderId) {
    UUID id = UUID.fromString(reminderId);
    Optional<ReminderRow> row = jdbi.withExtension(ReminderDao.class, dao -> dao.find(id));
    if (row.isEmpty() || row.get().done()) {
      return row.isEmpty() || "CANCELLED".equals(row.get().status());
    }
    if (!"SCHEDULED".equals(reminders.get(id).status())) {
      return false;
    }
    try {
      return "CANCELLED".equals(reminders.cancel(id).status());
    } catch (ApiException refused) {
      return false;
    }
  }

  public void record(SeriesState state) {
    jdbi.useExtension(SeriesDao.class, dao -> dao.recordState(UUID.fromString(state.seriesId()),
        state.status().name(), state.nextDueAt(),
        state.nextReminderId() == null ? null : UUID.fromString(state.nextReminderId()), state.occurrences()));
  }

  private SeriesView command(UUID id, String action, Function<SeriesWorkflow, SeriesState> update) {
    SeriesRow row = find(id);
    try {
      update.apply(stub(id));
    } catch (WorkflowUpdateException refused) {
      String reason = dev.norns.whatsapp.workflows.reminder.Refusals.reasonOf(refused);
      throw ApiException.conflict("series_id", "cannot " + action + " series " + id + ": " + reason);
    } catch (WorkflowNotFoundException closed) {
      throw ApiException.conflict("series_id", "cannot " + action + " series " + id + ": it is " + row.status());
    }
    return get(id);
  }

  private static Recurrence recurrence(String text) {
    try {
      return Recurrence.parse(text);
    } catch (IllegalArgumentException e) {
      throw ApiException.invalid("recurrence", e.getMessage());
    }
  }

  private static boolean sameRequest(SeriesRow row, Recurrence rule, ReminderRequest request) {
    return row.recurrence().equals(rule.rule())
        && ReminderRequests.sameContent(row.userId(), row.templateName(), row.variables(), row.body(), request);
  }

  private static String summary(SeriesRow row, UserRow user) {
    String what = ReminderRequests.subject(row.variables(), row.body(), row.templateName());
    return "Recurring reminder for " + (user.displayName() == null ? user.id() : user.displayName()) + ": \"" + what
        + "\", RRULE:" + row.recurrence() + " in " + row.timezone();
  }

  private SeriesWorkflow stub(UUID id) {
    return temporal.newWorkflowStub(SeriesWorkflow.class, WorkflowIds.series(id.toString()));
  }

  private SeriesRow find(UUID id) {
    return jdbi.withExtension(SeriesDao.class, dao -> dao.find(id))
        .orElseThrow(() -> ApiException.notFound("series_id", "no series " + id));
  }
}
