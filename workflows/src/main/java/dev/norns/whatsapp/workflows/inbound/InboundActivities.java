package dev.norns.whatsapp.workflows.inbound;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** PostgreSQL and HTTP work for an inbound message; every method is idempotent. */
@ActivityInterface
public interface InboundActivities {

  /** Decides what the message means and applies opt-out/opt-in to the user (idempotently). */
  @ActivityMethod(name = "InterpretInbound")
  Interpretation interpret(InboundInput input);

  /** A DONE for a reminder whose workflow has already closed: recorded on the row. */
  @ActivityMethod(name = "AcknowledgeClosedReminder")
  void acknowledgeClosedReminder(String reminderId);

  /** POSTs the stored message to the agent endpoint; throws (and is retried) until the agent accepts it. */
  @ActivityMethod(name = "ForwardToAgent")
  void forwardToAgent(String messageSid);

  @ActivityMethod(name = "MarkInboundProcessed")
  void markProcessed(String messageSid, String interpretation, String reminderId);
}
