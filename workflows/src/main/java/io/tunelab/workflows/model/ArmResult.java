package io.tunelab.workflows.model;

import java.util.List;

/**
 * The state of one arm: its epochs so far, its best epoch and, once done, its test metrics.
 *
 * @param arm the arm
 * @param status {@code PENDING}, {@code RUNNING}, {@code COMPLETED} or {@code FAILED}
 * @param epochs metrics of every finished epoch in order, from epoch 0 (the model before training,
 *     evaluated) when the arm has one ({@link EpochResult#start})
 * @param bestEpoch epoch with the lowest validation loss, or 0 before any
 * @param bestCheckpointKey checkpoint of the best epoch
 * @param lastCheckpointKey checkpoint of the last finished epoch
 * @param stoppedEarly whether early stopping ended the arm
 * @param resumedFromEpoch epoch a retried attempt resumed from, or {@code null}
 * @param test test metrics of the best checkpoint, or {@code null}
 * @param error why the arm failed, or {@code null}
 * @param notes what happened on the way that a reader should know (a corrupt checkpoint detected
 *     and the epoch retrained from the one before, for example)
 */
public record ArmResult(
    Arm arm,
    RunStatus status,
    List<EpochMetrics> epochs,
    int bestEpoch,
    String bestCheckpointKey,
    String lastCheckpointKey,
    boolean stoppedEarly,
    Integer resumedFromEpoch,
    TestMetrics test,
    String error,
    List<String> notes) {
  public ArmResult {
    epochs = epochs == null ? List.of() : List.copyOf(epochs);
    notes = notes == null ? List.of() : List.copyOf(notes);
  }

  /** How many epochs were trained (epoch 0, the evaluation before training, does not count). */
  @com.fasterxml.jackson.annotation.JsonIgnore
  public int trainedEpochs() {
    return (int) epochs.stream().filter(m -> m.epoch() >= 1).count();
  }

  /** A new arm with nothing done yet. */
  public static ArmResult pending(Arm arm) {
    return new ArmResult(
        arm, RunStatus.PENDING, List.of(), 0, null, null, false, null, null, null, List.of());
  }
}
