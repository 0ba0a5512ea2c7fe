package io.tunelab.workflows.model;

/**
 * The metrics of one epoch, as they appear in the report. Epoch 0 is the evaluation before any
 * training.
 */
public record EpochMetrics(
    int epoch,
    double trainLoss,
    double trainAcc,
    double valLoss,
    double valAcc,
    double lr,
    double seconds) {
  public EpochMetrics {
    if (epoch < 0) {
      throw new IllegalArgumentException("epoch must be >= 0: " + epoch);
    }
  }

  /** Whether any loss is NaN or infinite. */
  @com.fasterxml.jackson.annotation.JsonIgnore
  public boolean diverged() {
    return !Double.isFinite(trainLoss) || !Double.isFinite(valLoss);
  }
}
