package io.tunelab.workflows.model;

/**
 * An arm's best epoch so far by validation loss, and the early-stopping rule over it: the one rule
 * the workflow's epoch loop and a training activity that trains several epochs back to back both
 * apply, so both stop at the same epoch.
 *
 * @param epoch the best epoch, or 0 before the first
 * @param loss its validation loss (meaningless while {@code epoch} is 0)
 */
public record BestEpoch(int epoch, double loss) {
  /** Before any epoch. */
  public static final BestEpoch NONE = new BestEpoch(0, 0);

  public BestEpoch {
    if (epoch < 0) {
      throw new IllegalArgumentException("best epoch must be >= 0: " + epoch);
    }
  }

  /** The best after {@code m}: {@code m} when its loss beats this one's by more than min-delta. */
  public BestEpoch after(EpochMetrics m, TrainingParams params) {
    return epoch == 0 || m.valLoss() < loss - params.minDelta()
        ? new BestEpoch(m.epoch(), m.valLoss())
        : this;
  }

  /**
   * Whether training stops early after {@code lastEpoch}: patience is on, that many epochs went by
   * without a new best, and the budget is not spent anyway.
   */
  public boolean patienceExhausted(int lastEpoch, TrainingParams params) {
    int patience = params.earlyStoppingPatience();
    return patience > 0 && lastEpoch - epoch >= patience && lastEpoch < params.epochs();
  }
}
