package dev.norns.whatsapp.workflows.series;

import dev.norns.whatsapp.workflows.reminder.WorkflowWaits;
import dev.norns.whatsapp.workflows.series.SeriesState.Status;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInit;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import org.slf4j.Logger;

/**
 * See {@link SeriesWorkflow}. One loop: make the coming occurrence's reminder, wait until it is due (its own reminder
 * workflow sends it), then look for the next occurrence after the later of its due time and now. So an occurrence
 * missed while the service was down is sent once, late, by its reminder, and the ones after it that are past already
 * are skipped: never several at once. Commands queue and the loop applies them in order. Continues as new every
 * {@value #OCCURRENCES_PER_RUN} occurrences so a weekly series' history stays small for years.
 */
public class SeriesWorkflowImpl implements SeriesWorkflow {
  private static final Logger log = Workflow.getLogger(SeriesWorkflowImpl.class);
  static final String REFUSED = "SeriesCommandRefused";
  static final int OCCURRENCES_PER_RUN = 50;

  private final SeriesActivities activities = Workflow.newActivityStub(SeriesActivities.class,
      ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofSeconds(30))
          .setRetryOptions(RetryOptions.newBuilder()
              .setInitialInterval(Duration.ofSeconds(1))
              .setBackoffCoefficient(2)
              .setMaximumInterval(Duration.ofMinutes(1))
              .build())
          .build());
  private final Deque<Command> commands = new ArrayDeque<>();
  private SeriesState state;

  private enum Kind { PAUSE, RESUME, EDITED, CANCEL }

  private static final class Command {
    final Kind kind;
    boolean done;
    String refusal;
    SeriesState result;

    Command(Kind kind) {
      this.kind = kind;
    }
  }

  @WorkflowInit
  public SeriesWorkflowImpl(SeriesInput input) {
    this.state = input.state();
  }

  @Override
  public SeriesState run(SeriesInput input) {
    int made = 0;
    while (!state.status().over()) {
      if (state.status() == Status.ACTIVE && state.nextReminderId() == null) {
        Instant next = activities.nextOccurrence(state.seriesId(), state.cursor());
        if (next == null) {
          state = state.with(Status.ENDED);
          activities.recordSeries(state);
          log.info("whatsapp series {} ended: its rule has no occurrence after {}", state.seriesId(), state.cursor());
          break;
        }
        String reminderId = activities.createOccurrence(state.seriesId(), next, state.generation());
        state = state.pending(reminderId, next);
        activities.recordSeries(state);
        made++;
        log.info("whatsapp series {} occurrence {} due {}: reminder {}", state.seriesId(), state.occurrences(), next,
            reminderId);
      }
      if (state.status() == Status.ACTIVE) {
        Duration wait = Duration.between(Instant.ofEpochMilli(Workflow.currentTimeMillis()), state.nextDueAt());
        if (wait.isNegative()) {
          wait = Duration.ZERO;
        }
        WorkflowWaits.awaitFor(wait, "occurrence " + state.occurrences() + " due", () -> !commands.isEmpty());
      } else {
        Workflow.await(() -> !commands.isEmpty());
      }
      if (!commands.isEmpty()) {
        apply(commands.poll());
        continue;
      }
      // The occurrence is due: its reminder sends it. Occurrences already past now are skipped.
      Instant now = Instant.ofEpochMilli(Workflow.currentTimeMillis());
      state = state.cleared(now.isAfter(state.nextDueAt()) ? now : state.nextDueAt());
      if (made >= OCCURRENCES_PER_RUN || Workflow.getInfo().isContinueAsNewSuggested()) {
        Workflow.await(Workflow::isEveryHandlerFinished);
        if (commands.isEmpty()) {
          Workflow.continueAsNew(new SeriesInput(state, input.summary()));
        }
      }
    }
    String over = "the series is " + state.status().name().toLowerCase(java.util.Locale.ROOT);
    do {
      while (!commands.isEmpty()) {
        Command command = commands.poll();
        command.refusal = over;
        command.done = true;
      }
      Workflow.await(() -> !commands.isEmpty() || Workflow.isEveryHandlerFinished());
    } while (!commands.isEmpty());
    return state;
  }

  private void apply(Command command) {
    String refusal = refusal(command.kind, state.status());
    if (refusal != null) {
      command.refusal = refusal;
      command.done = true;
      return;
    }
    switch (command.kind) {
      case PAUSE -> {
        withdrawComing();
        state = state.with(Status.PAUSED).nextGeneration();
      }
      case RESUME -> {
        Instant now = Instant.ofEpochMilli(Workflow.currentTimeMillis());
        state = state.with(Status.ACTIVE).cleared(now.isAfter(state.cursor()) ? now : state.cursor())
            .nextGeneration();
      }
      case EDITED -> {
        if (state.status() == Status.ACTIVE) {
          withdrawComing();
        }
        state = state.nextGeneration();
      }
      case CANCEL -> {
        withdrawComing();
        state = state.with(Status.CANCELLED);
      }
    }
    activities.recordSeries(state);
    log.info("whatsapp series {} {}: now {}", state.seriesId(), command.kind, state.status());
    command.result = state;
    command.done = true;
  }

  /**
   * Takes back the coming occurrence's reminder if it was not sent: the next one is then made again from the cursor.
   * One being sent goes on, and the next is the first after it.
   */
  private void withdrawComing() {
    if (state.nextReminderId() == null) {
      return;
    }
    boolean withdrawn = activities.withdrawOccurrence(state.nextReminderId());
    Instant now = Instant.ofEpochMilli(Workflow.currentTimeMillis());
    Instant from = withdrawn ? state.cursor() : state.nextDueAt();
    // Never an occurrence in the past: an edited rule's next time is after now.
    state = state.cleared(now.isAfter(from) ? now : from);
  }

  static String refusal(Kind kind, Status status) {
    if (status.over()) {
      return "the series is " + status.name().toLowerCase(java.util.Locale.ROOT);
    }
    return switch (kind) {
      case PAUSE -> status == Status.PAUSED ? "the series is paused already" : null;
      case RESUME -> status == Status.ACTIVE ? "the series is not paused" : null;
      case EDITED, CANCEL -> null;
    };
  }

  private SeriesState submit(Kind kind) {
    Command command = new Command(kind);
    commands.add(command);
    Workflow.await(() -> command.done);
    if (command.refusal != null) {
      throw ApplicationFailure.newNonRetryableFailure(command.refusal, REFUSED);
    }
    return command.result;
  }

  private void validate(Kind kind) {
    String refusal = refusal(kind, state.status());
    if (refusal != null) {
      throw new IllegalStateException(refusal);
    }
  }

  @Override
  public SeriesState pause() {
    return submit(Kind.PAUSE);
  }

  @Override
  public void validatePause() {
    validate(Kind.PAUSE);
  }

  @Override
  public SeriesState resume() {
    return submit(Kind.RESUME);
  }

  @Override
  public void validateResume() {
    validate(Kind.RESUME);
  }

  @Override
  public SeriesState edited() {
    return submit(Kind.EDITED);
  }

  @Override
  public void validateEdited() {
    validate(Kind.EDITED);
  }

  @Override
  public SeriesState cancel() {
    return submit(Kind.CANCEL);
  }

  @Override
  public void validateCancel() {
    validate(Kind.CANCEL);
  }

  @Override
  public SeriesState getState() {
    return state;
  }
}
