package io.tunelab.cli;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionResponse;
import io.temporal.client.WorkflowClient;
import io.tunelab.workflows.model.RunStatus;
import java.util.Optional;

/**
 * What Temporal says of runs' workflows, from a describe (no worker needed). A run recorded as
 * running in the bucket may have ended without its record saying so, or its workflow may be lost
 * (the embedded service restarted); this tells which. When Temporal cannot be reached it is not
 * asked again for a few seconds, so that listing many runs does not wait for each.
 */
public final class WorkflowStatuses {
  /** The status of a workflow Temporal does not know: lost, to be continued by {@code resume}. */
  public static final RunStatus LOST = RunStatus.LOST;

  private static final long RETRY_NANOS = 10_000_000_000L;

  private final Services services;
  private volatile long downUntil = System.nanoTime();
  private volatile boolean unreachable;

  /** Asks the Temporal service of these connections. */
  public WorkflowStatuses(Services services) {
    this.services = services;
  }

  /** Whether the last attempt found Temporal unreachable (statuses are then unknown). */
  public boolean unreachable() {
    return unreachable;
  }

  /** Temporal's description of the run's workflow (its status, pending activities, history). */
  public static DescribeWorkflowExecutionResponse describe(WorkflowClient client, String runId) {
    return client
        .getWorkflowServiceStubs()
        .blockingStub()
        .describeWorkflowExecution(
            DescribeWorkflowExecutionRequest.newBuilder()
                .setNamespace(client.getOptions().getNamespace())
                .setExecution(WorkflowExecution.newBuilder().setWorkflowId(runId).build())
                .build());
  }

  /**
   * The workflow's status: {@code RUNNING}, {@code COMPLETED}, {@code FAILED}, {@code CANCELED},
   * {@code TERMINATED}, {@code TIMED_OUT}, or {@link #LOST} when Temporal does not know it; empty
   * when Temporal cannot be asked.
   */
  public Optional<RunStatus> of(String runId) {
    if (System.nanoTime() - downUntil < 0) {
      return Optional.empty();
    }
    try {
      WorkflowClient client = services.temporal();
      unreachable = false;
      WorkflowExecutionStatus status =
          describe(client, runId).getWorkflowExecutionInfo().getStatus();
      return Optional.ofNullable(
          switch (status) {
            case WORKFLOW_EXECUTION_STATUS_RUNNING, WORKFLOW_EXECUTION_STATUS_CONTINUED_AS_NEW ->
                RunStatus.RUNNING;
            case WORKFLOW_EXECUTION_STATUS_COMPLETED -> RunStatus.COMPLETED;
            case WORKFLOW_EXECUTION_STATUS_FAILED -> RunStatus.FAILED;
            case WORKFLOW_EXECUTION_STATUS_CANCELED -> RunStatus.CANCELED;
            case WORKFLOW_EXECUTION_STATUS_TERMINATED -> RunStatus.TERMINATED;
            case WORKFLOW_EXECUTION_STATUS_TIMED_OUT -> RunStatus.TIMED_OUT;
            default -> null;
          });
    } catch (UnreachableException e) {
      unreachable = true;
      downUntil = System.nanoTime() + RETRY_NANOS;
      return Optional.empty();
    } catch (StatusRuntimeException e) {
      return e.getStatus().getCode() == Status.Code.NOT_FOUND
          ? Optional.of(LOST)
          : Optional.empty();
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }
}
