package dev.norns.whatsapp.workflows.inbound;

import dev.norns.whatsapp.workflows.WorkflowIds;
import dev.norns.whatsapp.workflows.model.Channel;
import dev.norns.whatsapp.workflows.model.OutboundMessage;
import dev.norns.whatsapp.workflows.reminder.ActivityPolicies;
import dev.norns.whatsapp.workflows.reminder.ReminderWorkflow;
import dev.norns.whatsapp.workflows.reminder.WhatsAppSendActivities;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.SignalExternalWorkflowException;
import io.temporal.workflow.Workflow;
import java.util.Map;
import org.slf4j.Logger;

/** See {@link InboundWorkflow}. Deterministic: every decision that reads data is an activity. */
public class InboundWorkflowImpl implements InboundWorkflow {
  private static final Logger log = Workflow.getLogger(InboundWorkflowImpl.class);

  private final InboundActivities inbound =
      Workflow.newActivityStub(InboundActivities.class, ActivityPolicies.inbound());
  private final InboundActivities agent =
      Workflow.newActivityStub(InboundActivities.class, ActivityPolicies.agentForward());
  private final WhatsAppSendActivities twilio =
      Workflow.newActivityStub(WhatsAppSendActivities.class, ActivityPolicies.twilioSend());

  @Override
  public Interpretation.Kind run(InboundInput input) {
    Interpretation it = inbound.interpret(input);
    switch (it.kind()) {
      case STOP -> {
        it.pendingReminderIds().forEach(InboundWorkflowImpl::optOut);
        reply(input, it, it.reply());
      }
      case START, AMBIGUOUS -> reply(input, it, it.reply());
      case DONE, SNOOZE, CANCEL -> reply(input, it, inbound.applyReply(new ReplyToReminder(it.reminderId(),
          it.kind(), it.snoozeUntil(), input.receivedAt(), it.reply())));
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

  /** STOP: the reminder ends OPTED_OUT without sending; one already closed has nothing to stop. */
  private static void optOut(String reminderId) {
    try {
      Workflow.newExternalWorkflowStub(ReminderWorkflow.class, WorkflowIds.reminder(reminderId)).optOut();
    } catch (SignalExternalWorkflowException closed) {
      log.info("whatsapp reminder {} already closed: nothing to opt out of", reminderId);
    } catch (ApplicationFailure failure) {
      if (failure.getType() == null || !failure.getType().endsWith("EXTERNAL_WORKFLOW_EXECUTION_NOT_FOUND")) {
        throw failure;
      }
    }
  }

  /** A confirmation in the session window the user's message just opened; its key makes it at most once. */
  private void reply(InboundInput input, Interpretation it, String text) {
    if (text == null || text.isBlank()) {
      return;
    }
    try {
      twilio.send(new OutboundMessage(it.reminderId(), "reply-" + input.messageSid(), null, input.phoneNumber(),
          Channel.FREEFORM, null, Map.of(), text));
    } catch (ActivityFailure failure) {
      log.warn("whatsapp inbound {}: confirmation not sent: {}", input.messageSid(), failure.getMessage());
    }
  }
}
