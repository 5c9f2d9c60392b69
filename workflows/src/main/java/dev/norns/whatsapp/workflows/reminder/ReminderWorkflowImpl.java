package dev.norns.whatsapp.workflows.reminder;

import dev.norns.whatsapp.workflows.model.DeliveryUpdate;
import dev.norns.whatsapp.workflows.model.DispatchReport;
import dev.norns.whatsapp.workflows.model.ReminderEdit;
import dev.norns.whatsapp.workflows.model.ReminderInput;
import dev.norns.whatsapp.workflows.model.ReminderState;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInit;
import java.time.Instant;
import org.slf4j.Logger;

/**
 * See {@link ReminderWorkflow}. One explicit phase machine: each phase is a small class that runs while the reminder is
 * in it and takes the commands that arrive meanwhile from the one {@link Inbox}. The state exists from the
 * {@link WorkflowInit} constructor on, so an update or query in the workflow's first task sees it. Deterministic:
 * time, timers and logging only through {@link Workflow}.
 */
public class ReminderWorkflowImpl implements ReminderWorkflow {
  private static final Logger log = Workflow.getLogger(ReminderWorkflowImpl.class);
  static final String REFUSED = "ReminderCommandRefused";

  private final ReminderRun run;

  @WorkflowInit
  public ReminderWorkflowImpl(ReminderInput input) {
    this.run = new ReminderRun(input);
  }

  @Override
  public ReminderState run(ReminderInput input) {
    run.begin();
    while (!run.state().isFinal()) {
      switch (run.phase()) {
        case SCHEDULED, SNOOZED -> WaitToSend.run(run);
        case SENDING -> SendRound.run(run);
        case FOLLOWING -> FollowDelivery.run(run);
        case AWAITING_REPLY -> AwaitReply.run(run);
        default -> throw new IllegalStateException("no phase " + run.phase());
      }
    }
    // Commands validated just before the end are answered with the final state's refusal, then the workflow ends.
    String over = "the reminder is already over: " + run.state().status();
    do {
      run.inbox.refuseAll(over);
      Workflow.await(() -> run.inbox.hasCommand() || Workflow.isEveryHandlerFinished());
    } while (run.inbox.hasCommand());
    log.info("whatsapp reminder {} finished {}", input.reminderId(), run.state().status());
    return run.state();
  }

  private ReminderState answer(Command command) {
    run.inbox.submit(command);
    if (command.refusal() != null) {
      throw ApplicationFailure.newNonRetryableFailure(command.refusal(), REFUSED);
    }
    return command.result();
  }

  private void check(Command.Kind kind, Instant at) {
    String refusal = Command.refusal(kind, run.state(), at);
    if (refusal != null) {
      throw new IllegalStateException(refusal);
    }
  }

  @Override
  public ReminderState cancel() {
    return answer(new Command(Command.Kind.CANCEL, null, null, null));
  }

  @Override
  public void validateCancel() {
    check(Command.Kind.CANCEL, null);
  }

  @Override
  public ReminderState reschedule(Instant dueAt) {
    return answer(new Command(Command.Kind.RESCHEDULE, null, dueAt, null));
  }

  @Override
  public void validateReschedule(Instant dueAt) {
    if (dueAt == null) {
      throw new IllegalArgumentException("a new due time is needed");
    }
    check(Command.Kind.RESCHEDULE, null);
  }

  @Override
  public ReminderState edit(ReminderEdit edit) {
    return answer(new Command(Command.Kind.EDIT, null, null, edit));
  }

  @Override
  public void validateEdit(ReminderEdit edit) {
    if (edit == null || (edit.templateName() == null && edit.variables() == null && edit.body() == null)) {
      throw new IllegalArgumentException("nothing to change");
    }
    check(Command.Kind.EDIT, null);
  }

  @Override
  public ReminderState acknowledge(Instant receivedAt) {
    return answer(new Command(Command.Kind.ACKNOWLEDGE, receivedAt, null, null));
  }

  @Override
  public void validateAcknowledge(Instant receivedAt) {
    check(Command.Kind.ACKNOWLEDGE, receivedAt);
  }

  @Override
  public ReminderState snooze(Instant until, Instant receivedAt) {
    return answer(new Command(Command.Kind.SNOOZE, receivedAt, until, null));
  }

  @Override
  public void validateSnooze(Instant until, Instant receivedAt) {
    if (until == null) {
      throw new IllegalArgumentException("a snooze time is needed");
    }
    check(Command.Kind.SNOOZE, receivedAt);
  }

  @Override
  public ReminderState dismiss(Instant receivedAt) {
    return answer(new Command(Command.Kind.DISMISS, receivedAt, null, null));
  }

  @Override
  public void validateDismiss(Instant receivedAt) {
    check(Command.Kind.DISMISS, receivedAt);
  }

  @Override
  public void optOut() {
    run.inbox.post(new Command(Command.Kind.OPT_OUT, null, null, null));
  }

  @Override
  public void deliveryStatus(DeliveryUpdate update) {
    run.deliveryStatus(update);
  }

  @Override
  public void dispatched(DispatchReport report) {
    run.dispatched(report);
  }

  @Override
  public ReminderState getState() {
    return run.state();
  }
}
