package dev.norns.whatsapp.workflows.inbound;

import dev.norns.whatsapp.workflows.WorkflowIds;
import dev.norns.whatsapp.workflows.model.Channel;
import dev.norns.whatsapp.workflows.model.OutboundMessage;
import dev.norns.whatsapp.workflows.reminder.ActivityPolicies;
import dev.norns.whatsapp.workflows.reminder.ReminderWorkflow;
import dev.norns.whatsapp.workflows.reminder.WhatsAppSendActivities;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Functions;
import io.temporal.workflow.SignalExternalWorkflowException;
import io.temporal.workflow.Workflow;
import java.util.Map;
import org.slf4j.Logger;

/** See {@link InboundWorkflow}. Deterministic: every decision that reads data is an activity. */
public class InboundWorkflowImpl implements InboundWorkflow {
  private static final Logger log = Workflow.getLogger(InboundWorkflowImpl.class);
  private static final String FINISHED = "That reminder has already finished, so there is nothing to change. "
      + "Ask Norns for a new one.";

  private final InboundActivities inbound =
      Workflow.newActivityStub(InboundActivities.class, ActivityPolicies.bookkeeping());
  private final InboundActivities agent =
      Workflow.newActivityStub(InboundActivities.class, ActivityPolicies.agentForward());
  private final WhatsAppSendActivities twilio =
      Workflow.newActivityStub(WhatsAppSendActivities.class, ActivityPolicies.twilioSend());

  @Override
  public Interpretation.Kind run(InboundInput input) {
    Interpretation it = inbound.interpret(input);
    switch (it.kind()) {
      case STOP -> it.pendingReminderIds().forEach(id -> signal(id, ReminderWorkflow::optOut));
      case DONE -> {
        if (!signal(it.reminderId(), ReminderWorkflow::acknowledge)) {
          inbound.acknowledgeClosedReminder(it.reminderId());
        }
        reply(input, it, it.reply());
      }
      case SNOOZE -> reply(input, it,
          signal(it.reminderId(), r -> r.snooze(it.snoozeUntil())) ? it.reply() : FINISHED);
      case CANCEL -> reply(input, it, signal(it.reminderId(), ReminderWorkflow::dismiss) ? it.reply() : FINISHED);
      case MESSAGE, UNKNOWN_SENDER -> {
        if (it.forward()) {
          agent.forwardToAgent(input.messageSid());
        }
      }
      default -> { }
    }
    inbound.markProcessed(input.messageSid(), it.kind().name(), it.reminderId());
    log.info("whatsapp inbound {} handled as {} (reminder {})", input.messageSid(), it.kind(), it.reminderId());
    return it.kind();
  }

  /** Signals the reminder's workflow; false when it has already closed. */
  private static boolean signal(String reminderId, Functions.Proc1<ReminderWorkflow> call) {
    try {
      call.apply(Workflow.newExternalWorkflowStub(ReminderWorkflow.class, WorkflowIds.reminder(reminderId)));
      return true;
    } catch (SignalExternalWorkflowException closed) {
      return false;
    } catch (ApplicationFailure failure) {
      // What the SDK raises when the reminder's workflow has closed (or never existed here).
      if (failure.getType() != null && failure.getType().endsWith("EXTERNAL_WORKFLOW_EXECUTION_NOT_FOUND")) {
        return false;
      }
      throw failure;
    }
  }

  /** A confirmation in the session window the user's message just opened; its key makes it at most once. */
  private void reply(InboundInput input, Interpretation it, String text) {
    try {
      twilio.send(new OutboundMessage(it.reminderId(), "reply-" + input.messageSid(), input.phoneNumber(),
          Channel.FREEFORM, null, Map.of(), text));
    } catch (ActivityFailure failure) {
      log.warn("whatsapp inbound {}: confirmation not sent: {}", input.messageSid(), failure.getMessage());
    }
  }
}
