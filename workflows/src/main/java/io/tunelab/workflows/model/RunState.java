package io.tunelab.workflows.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything a workflow knows about its run, returned by its query and passed to the report
 * activity. Small: keys and metrics only.
 *
 * @param runId the run
 * @param kind {@code experiment} or {@code pretrain}
 * @param status {@code RUNNING}, {@code COMPLETED}, {@code FAILED} or {@code CANCELED}
 * @param phase what the run is doing now, in words (a {@link Phase} and its subject)
 * @param dataset the ingested dataset, once known
 * @param arms arm name (an {@link Arm}'s wire value) to its state
 * @param comparison the comparison, once both arms are tested
 * @param findings the diagnosis, once done
 * @param registered the model registered by a pretrain run
 * @param pretrained the pretrained model an experiment fine-tunes, once looked up
 * @param reportKey key of the stored report JSON, once written
 * @param error why the run failed
 */
public record RunState(
    String runId,
    String kind,
    RunStatus status,
    String phase,
    DatasetRef dataset,
    Map<String, ArmResult> arms,
    Comparison comparison,
    List<Finding> findings,
    ModelInfo registered,
    ModelInfo pretrained,
    String reportKey,
    String error) {
  public RunState {
    arms = arms == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(arms));
    findings = findings == null ? List.of() : List.copyOf(findings);
  }

  /** The state of an arm, or {@code null} when the run has no such arm. */
  public ArmResult arm(Arm arm) {
    return arms.get(arm.wire());
  }
}
