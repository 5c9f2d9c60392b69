package dev.norns.whatsapp.workflows.inbound;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * The slow part of one inbound WhatsApp message, after the webhook has stored it: act on a reply to a reminder,
 * confirm it, opt the user out or in, or forward the message to the agent. Workflow id {@code inbound:<MessageSid>}.
 */
@WorkflowInterface
public interface InboundWorkflow {

  @WorkflowMethod(name = "InboundMessage")
  Interpretation.Kind run(InboundInput input);
}
