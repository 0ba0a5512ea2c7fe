package io.tunelab.workflows.model;

import java.util.List;
import java.util.Map;

/**
 * Where a run whose workflow was lost stands, rebuilt from its records in the bucket: the ingested
 * dataset and, per arm, the epochs already trained with their checkpoints.
 *
 * @param dataset the run's ingested dataset
 * @param arms arm name (an {@link Arm}'s wire value) to its finished epochs, in order
 */
public record ResumePoint(DatasetRef dataset, Map<String, List<EpochRecord>> arms) {
  public ResumePoint {
    if (dataset == null) {
      throw new IllegalArgumentException("a resume point needs the run's dataset");
    }
    arms = arms == null ? Map.of() : Map.copyOf(arms);
  }

  /**
   * One finished epoch as recorded in the bucket.
   *
   * @param metrics the epoch's metrics
   * @param checkpointKey its checkpoint, or {@code null} when it was pruned
   */
  public record EpochRecord(EpochMetrics metrics, String checkpointKey) {}

  /** The epochs already finished by an arm. */
  public List<EpochRecord> epochs(Arm arm) {
    return arms.getOrDefault(arm.wire(), List.of());
  }
}
