package dev.norns.whatsapp.server.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.norns.whatsapp.workflows.model.ReminderInput;
import io.dropwizard.util.Duration;

/** How reminders are sent (dispatch ahead) and how long a sent one waits for Twilio's callbacks before it settles. */
public class RemindersFactory {
  /** No delivered/read/failed within this: UNCONFIRMED. */
  @JsonProperty
  private Duration confirmTimeout = Duration.hours(1);

  /** Once delivered, how long to keep waiting for a read receipt. */
  @JsonProperty
  private Duration readTimeout = Duration.hours(24);

  public java.time.Duration getConfirmTimeout() {
    return confirmTimeout.toJavaDuration();
  }

  public java.time.Duration getReadTimeout() {
    return readTimeout.toJavaDuration();
  }

  /**
   * How long before the due time a reminder queues its send for the dispatcher (0 turns dispatch ahead off: each
   * reminder then sends through its own activity at the due time). Long enough for the Temporal server to wake a
   * whole burst before it falls due: at the ~50 workflow tasks/s measured on 2 cores, 10 minutes covers about 30,000.
   */
  @JsonProperty
  private Duration dispatchAhead = Duration.minutes(10);

  /** No report from the dispatcher this long after the due time: the workflow sends itself (never twice). */
  @JsonProperty
  private Duration dispatchTakeover = Duration.minutes(15);

  /** Sends in flight at once per instance. */
  @JsonProperty
  private int dispatchThreads = 16;

  /**
   * Workflow starts that API requests make themselves at once; under a burst the others are stored and started by
   * the workflow starter moments later (0: always by the starter).
   */
  @JsonProperty
  private int inlineStarts = 2;

  /** How long a dispatcher's report waits so the message's first callbacks reach the workflow with it. */
  @JsonProperty
  private Duration dispatchHold = Duration.seconds(1);

  /** Null when dispatch ahead is off. */
  public ReminderInput.Dispatch dispatch() {
    return dispatchAhead.toMilliseconds() <= 0 ? null
        : new ReminderInput.Dispatch(dispatchAhead.toJavaDuration(), dispatchTakeover.toJavaDuration());
  }

  public int getDispatchThreads() {
    return dispatchThreads;
  }

  public int getInlineStarts() {
    return inlineStarts;
  }

  public java.time.Duration getDispatchHold() {
    return dispatchHold.toJavaDuration();
  }

  /** Why {@code server} would refuse these settings, or null. */
  public String invalidReason() {
    if (dispatchThreads < 1) {
      return "reminders.dispatchThreads must be at least 1: " + dispatchThreads;
    }
    if (inlineStarts < 0) {
      return "reminders.inlineStarts must not be negative: " + inlineStarts;
    }
    if (dispatchTakeover.toMilliseconds() < 1000) {
      return "reminders.dispatchTakeover must be at least 1s: " + dispatchTakeover;
    }
    return null;
  }
}
