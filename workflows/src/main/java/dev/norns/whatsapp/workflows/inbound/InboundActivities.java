package dev.norns.whatsapp.workflows.inbound;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** PostgreSQL and HTTP work for an inbound message; every method is idempotent. */
@ActivityInterface
public interface InboundActivities {

  /** Decides what the message means and applies opt-out/opt-in to the user (idempotently). */
  @ActivityMethod(name = "InterpretInbound")
  Interpretation interpret(InboundInput input);

  /**
   * Applies a DONE, SNOOZE or CANCEL to its reminder through the reminder workflow's update, judged as of when the
   * user sent it; returns what to answer: the confirmation when it was applied, else what state the reminder is in
   * and why nothing changed. A DONE for a reminder whose workflow has closed after its reply window is recorded on
   * the row.
   */
  @ActivityMethod(name = "ApplyReply")
  String applyReply(ReplyToReminder reply);

  /** POSTs the stored message to the agent endpoint; throws (and is retried) until the agent accepts it. */
  @ActivityMethod(name = "ForwardToAgent")
  void forwardToAgent(String messageSid);

  @ActivityMethod(name = "MarkInboundProcessed")
  void markProcessed(String messageSid, String interpretation, String reminderId);
}
