package io.tunelab.workflows.model;

/**
 * Evaluate one checkpoint on one split and store its per-image predictions.
 *
 * @param arm the arm the checkpoint belongs to
 * @param dataset the ingested dataset
 * @param checkpointKey checkpoint manifest to evaluate
 * @param split split to evaluate on
 */
public record EvaluationTask(ArmSpec arm, DatasetRef dataset, String checkpointKey, String split) {
  public EvaluationTask {
    if (arm == null || dataset == null || checkpointKey == null) {
      throw new IllegalArgumentException("arm, dataset and checkpoint must not be null");
    }
    Choices.requireOneOf("split", split, "train", "val", "test");
  }
}
