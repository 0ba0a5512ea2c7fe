package io.tunelab.training;

import io.tunelab.workflows.model.EpochMetrics;

/**
 * The result of one epoch.
 *
 * @param metrics the epoch's metrics as measured; when the training loss diverged, it is the
 *     non-finite running mean at that step and the validation figures are NaN
 * @param checkpoint the encoded {@link Checkpoint} after the epoch, or {@code null} when the epoch
 *     diverged (the caller keeps the previous checkpoint)
 * @param diverged whether a training loss became NaN or infinite (training stopped at that step
 *     without applying it), or the validation loss or a parameter is NaN or infinite after the
 *     epoch
 * @param validation the predictions on every validation image after the epoch, or {@code null} when
 *     the epoch diverged before validation
 * @param live the model as the epoch left it, kept alive when the caller asked for it and the epoch
 *     yielded a checkpoint (the caller owns it then), or {@code null}
 */
public record EpochOutcome(
    EpochMetrics metrics,
    byte[] checkpoint,
    boolean diverged,
    ModelOutputs validation,
    LiveModel live) {

  /** An outcome without a live model. */
  public EpochOutcome(
      EpochMetrics metrics, byte[] checkpoint, boolean diverged, ModelOutputs validation) {
    this(metrics, checkpoint, diverged, validation, null);
  }

  /** The same outcome with its model kept alive. */
  EpochOutcome withLive(LiveModel model) {
    return new EpochOutcome(metrics, checkpoint, diverged, validation, model);
  }
}
