package io.tunelab.workflows;

import io.tunelab.workflows.model.Arm;
import io.tunelab.workflows.model.ArmResult;
import io.tunelab.workflows.model.Comparison;
import io.tunelab.workflows.model.DatasetRef;
import io.tunelab.workflows.model.Finding;
import io.tunelab.workflows.model.ModelInfo;
import io.tunelab.workflows.model.Phase;
import io.tunelab.workflows.model.RunState;
import io.tunelab.workflows.model.RunStatus;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The mutable state of a running workflow, snapshotted as a {@link RunState} for queries. */
final class RunTracker {
  private final String runId;
  private final String kind;
  private final Map<String, ArmResult> arms = new LinkedHashMap<>();
  RunStatus status = RunStatus.RUNNING;
  String phase = Phase.STARTING.words();
  DatasetRef dataset;
  Comparison comparison;
  List<Finding> findings = List.of();
  ModelInfo registered;
  ModelInfo pretrained;
  String reportKey;
  String error;

  RunTracker(String runId, String kind) {
    this.runId = runId;
    this.kind = kind;
  }

  /** The id of the run this tracks. */
  String runId() {
    return runId;
  }

  void arm(ArmResult result) {
    arms.put(result.arm().wire(), result);
  }

  ArmResult arm(Arm arm) {
    return arms.get(arm.wire());
  }

  RunState snapshot() {
    return snapshot(phase);
  }

  /** The snapshot a state query returns: the phase says when the run is paused. */
  RunState snapshot(RunControl control) {
    return snapshot(status == RunStatus.RUNNING ? control.phase(runId, phase) : phase);
  }

  private RunState snapshot(String phase) {
    return new RunState(
        runId,
        kind,
        status,
        phase,
        dataset,
        new LinkedHashMap<>(arms),
        comparison,
        findings,
        registered,
        pretrained,
        reportKey,
        error);
  }
}
