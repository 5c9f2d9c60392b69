package dev.norns.whatsapp.workflows.reminder;

import io.temporal.client.WorkflowUpdateException;
import io.temporal.failure.ApplicationFailure;

/** What a caller of the reminder's updates reads when one is refused: the validator's (or the phase's) own words. */
public final class Refusals {
  private Refusals() {}

  /** The reason inside {@code e}, without Temporal's wrapping. */
  public static String reasonOf(WorkflowUpdateException e) {
    for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
      if (cause instanceof ApplicationFailure failure) {
        return failure.getOriginalMessage();
      }
    }
    return e.getMessage();
  }
}
