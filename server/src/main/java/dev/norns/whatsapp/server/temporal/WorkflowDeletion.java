package dev.norns.whatsapp.server.temporal;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.workflowservice.v1.DeleteWorkflowExecutionRequest;
import io.temporal.client.WorkflowClient;

/** Deletes workflows with their histories (erasure: the histories hold personal data). */
public final class WorkflowDeletion {
  private WorkflowDeletion() {}

  /** Deletes the workflow {@code workflowId}, its history included; one that does not exist is already gone. */
  public static void delete(WorkflowClient temporal, String workflowId) {
    try {
      temporal.getWorkflowServiceStubs().blockingStub().deleteWorkflowExecution(
          DeleteWorkflowExecutionRequest.newBuilder().setNamespace(temporal.getOptions().getNamespace())
              .setWorkflowExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId)).build());
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() != Status.Code.NOT_FOUND) {
        throw e;
      }
    }
  }
}
