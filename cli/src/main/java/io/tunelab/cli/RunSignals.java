package io.tunelab.cli;

import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowNotFoundException;
import io.tunelab.runs.RunRecords;
import io.tunelab.workflows.model.RunRecord;
import io.tunelab.workflows.model.RunState;
import io.tunelab.workflows.model.RunStatus;
import java.util.Optional;

/** Sends a signal to a running run, with one-line errors for a run that is unknown or over. */
public final class RunSignals {
  private final Services services;

  public RunSignals(Services services) {
    this.services = services;
  }

  /**
   * Checks that the run's workflow is open; a usage error naming its status when it is not. Asks
   * Temporal's describe, which needs no worker (a query does).
   */
  public void requireRunning(String runId) {
    WorkflowExecutionStatus status;
    try {
      status = services.temporal().newUntypedWorkflowStub(runId).describe().getStatus();
    } catch (UnreachableException e) {
      throw e;
    } catch (RuntimeException e) {
      throw notRunning(runId, Optional.empty());
    }
    if (status != WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING) {
      throw notRunning(runId, Optional.of(status.name().replace("WORKFLOW_EXECUTION_STATUS_", "")));
    }
  }

  /**
   * The state of an open run, from its query (which needs a live worker to answer), or empty when
   * no worker answered in time.
   */
  public Optional<RunState> state(String runId) {
    requireRunning(runId);
    return new Launcher(services).query(runId);
  }

  /** Checks that the run's workflow is open (see {@link #requireRunning}), then signals it. */
  public void signalRunning(String runId, String signal, Object... args) {
    requireRunning(runId);
    signal(runId, signal, args);
  }

  /** Signals the run's workflow. */
  public void signal(String runId, String signal, Object... args) {
    try {
      services.temporal().newUntypedWorkflowStub(runId).signal(signal, args);
    } catch (WorkflowNotFoundException e) {
      throw notRunning(runId, Optional.empty());
    }
  }

  private UsageException notRunning(String runId, Optional<String> status) {
    Optional<RunRecord> record = new RunRecords(services.store()).find(runId);
    if (record.isEmpty() && status.isEmpty()) {
      return new UsageException("no run named '" + runId + "' (see 'tunelab list')");
    }
    String s = status.orElseGet(() -> record.get().status().wire());
    return new UsageException(
        "run '"
            + runId
            + "' is not running (status "
            + s
            + ")"
            + (RunStatus.RUNNING.wire().equals(s)
                ? "; its workflow is gone: 'tunelab resume " + runId + "' continues it"
                : ""));
  }
}
