package io.tunelab.training;

/**
 * Receives training progress from {@link EpochTrainer}, once after every optimisation step. The
 * Temporal adapter uses it to heartbeat; it must be cheap and must not throw unless it wants the
 * epoch to fail (an exception from the listener ends the epoch and propagates to the caller).
 */
@FunctionalInterface
public interface StepListener {
  /** A listener that ignores every step. */
  StepListener NONE = (step, totalSteps, meanLossSoFar) -> {};

  /**
   * Called after each batch has been trained.
   *
   * @param step the number of steps done in this epoch, from 1
   * @param totalSteps the number of steps this epoch will take
   * @param meanLossSoFar the mean training loss per example over the batches done so far
   */
  void onStep(int step, int totalSteps, double meanLossSoFar);
}
