package io.tunelab.workflows.model;

/**
 * One epoch of training for an arm: train on the training shard, validate, checkpoint.
 *
 * @param arm the arm
 * @param dataset the ingested dataset
 * @param epoch epoch number, from 1
 * @param learningRate the learning rate for this epoch, as the schedule gives it
 * @param previousCheckpointKey checkpoint written at the end of the previous epoch, or {@code null}
 *     for the first epoch
 * @param bestCheckpointKey the arm's best checkpoint so far, kept when older checkpoints are
 *     pruned, or {@code null}
 */
public record EpochTask(
    ArmSpec arm,
    DatasetRef dataset,
    int epoch,
    double learningRate,
    String previousCheckpointKey,
    String bestCheckpointKey) {
  public EpochTask {
    if (arm == null || dataset == null) {
      throw new IllegalArgumentException("arm and dataset must not be null");
    }
    if (epoch < 1) {
      throw new IllegalArgumentException("epoch must be >= 1: " + epoch);
    }
    if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
      throw new IllegalArgumentException("learning rate must be > 0: " + learningRate);
    }
    if (epoch > 1 && previousCheckpointKey == null) {
      throw new IllegalArgumentException("epoch " + epoch + " needs the previous checkpoint");
    }
  }
}
