package io.tunelab.cli;

import io.temporal.client.WorkflowNotFoundException;
import io.tunelab.runs.RunRecords;
import io.tunelab.workflows.model.RunRecord;
import io.tunelab.workflows.model.RunState;
import java.util.Optional;

/** Sends a signal to a running run, with one-line errors for a run that is unknown or over. */
public final class RunSignals {
  private final Services services;

  public RunSignals(Services services) {
    this.services = services;
  }

  /** The state of a run that is still going; a usage error when there is none. */
  public RunState running(String runId) {
    Optional<RunState> state = new Launcher(services).query(runId);
    if (state.isPresent() && "RUNNING".equals(state.get().status())) {
      return state.get();
    }
    throw notRunning(runId, state.map(RunState::status));
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
    String s = status.orElseGet(() -> record.get().status());
    return new UsageException("run '" + runId + "' is not running (status " + s + ")"
        + ("RUNNING".equals(s) ? "; its workflow is gone: 'tunelab resume " + runId + "' continues it" : ""));
  }
}
