package dev.norns.whatsapp.workflows.series;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.UpdateMethod;
import io.temporal.workflow.UpdateValidatorMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * A recurring reminder: one workflow per series ({@code series:<id>}) that keeps exactly one reminder ahead, the
 * coming occurrence's, each its own reminder workflow with its own id, status and replies. Commands are updates with
 * validators: the caller sees them applied or refused.
 */
@WorkflowInterface
public interface SeriesWorkflow {

  @WorkflowMethod
  SeriesState run(SeriesInput input);

  /** No more occurrences until resumed; the coming one is cancelled if it has not been sent. */
  @UpdateMethod
  SeriesState pause();

  @UpdateValidatorMethod(updateName = "pause")
  void validatePause();

  /** Occurrences again, from the first after now. */
  @UpdateMethod
  SeriesState resume();

  @UpdateValidatorMethod(updateName = "resume")
  void validateResume();

  /**
   * The series' content or rule changed (PostgreSQL has it): the coming occurrence is made again from it, unless it is
   * being sent already, in which case the change applies from the one after.
   */
  @UpdateMethod
  SeriesState edited();

  @UpdateValidatorMethod(updateName = "edited")
  void validateEdited();

  /** Ends the series; the coming occurrence is cancelled if it has not been sent. */
  @UpdateMethod
  SeriesState cancel();

  @UpdateValidatorMethod(updateName = "cancel")
  void validateCancel();

  @QueryMethod
  SeriesState getState();
}
