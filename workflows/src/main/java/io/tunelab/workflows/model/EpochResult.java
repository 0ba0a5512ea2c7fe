package io.tunelab.workflows.model;

/**
 * What an epoch activity returns: its metrics and where its checkpoint is.
 *
 * @param metrics the epoch's metrics
 * @param checkpointKey key of the checkpoint written at the end of the epoch; {@code null} only
 *     when the epoch diverged (no checkpoint of garbage weights is kept)
 * @param resumedFromEpoch the epoch whose checkpoint this attempt restarted from after a failure,
 *     or {@code null}
 * @param deviceNote why the epoch ran on another device than asked (no GPU, say), or {@code null}
 * @param resumedAtStep when this attempt continued the epoch from an in-epoch checkpoint of a
 *     failed attempt ({@link TrainingParams#checkpointEverySeconds}): the steps already done then;
 *     otherwise {@code null}
 * @param start on epoch 1 of a fine-tune whose starting model predicts the target's classes (its
 *     head reused for every class): that model evaluated before the first step, epoch 0 of the
 *     arm's curve; otherwise {@code null} (always in histories from before it)
 */
public record EpochResult(
    EpochMetrics metrics,
    String checkpointKey,
    Integer resumedFromEpoch,
    String deviceNote,
    Integer resumedAtStep,
    EpochMetrics start) {

  /** A result without an epoch 0. */
  public EpochResult(
      EpochMetrics metrics,
      String checkpointKey,
      Integer resumedFromEpoch,
      String deviceNote,
      Integer resumedAtStep) {
    this(metrics, checkpointKey, resumedFromEpoch, deviceNote, resumedAtStep, null);
  }

  /** A result that ran where it was asked to. */
  public EpochResult(EpochMetrics metrics, String checkpointKey, Integer resumedFromEpoch) {
    this(metrics, checkpointKey, resumedFromEpoch, null, null);
  }

  /** A result of an epoch that started at its first step. */
  public EpochResult(
      EpochMetrics metrics, String checkpointKey, Integer resumedFromEpoch, String deviceNote) {
    this(metrics, checkpointKey, resumedFromEpoch, deviceNote, null);
  }

  public EpochResult {
    if (metrics == null) {
      throw new IllegalArgumentException("metrics must not be null");
    }
    if (checkpointKey == null && !metrics.diverged()) {
      throw new IllegalArgumentException("epoch " + metrics.epoch() + " has no checkpoint");
    }
    if (start != null && start.epoch() != 0) {
      throw new IllegalArgumentException("the start must be epoch 0: " + start.epoch());
    }
  }
}
