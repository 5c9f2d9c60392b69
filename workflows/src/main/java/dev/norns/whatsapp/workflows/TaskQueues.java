package dev.norns.whatsapp.workflows;

/** The one place task queue names live. */
public final class TaskQueues {
  /** Reminder workflows and their bookkeeping activities. */
  public static final String REMINDERS = "norns-reminders";
  /**
   * Every Twilio send, and nothing else: its task-queue activity rate limit is the sender's messages-per-second cap,
   * enforced by the Temporal server across all workers.
   */
  public static final String WHATSAPP_SEND = "norns-whatsapp-send";

  private TaskQueues() {}
}
