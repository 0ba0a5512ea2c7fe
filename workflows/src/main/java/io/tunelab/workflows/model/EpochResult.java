package io.tunelab.workflows.model;

/**
 * What an epoch activity returns: its metrics and where its checkpoint is.
 *
 * @param metrics the epoch's metrics
 * @param checkpointKey key of the checkpoint manifest written at the end of the epoch
 * @param resumedFromEpoch the epoch whose checkpoint this attempt restarted from after a
 *     failure, or {@code null}
 */
public record EpochResult(EpochMetrics metrics, String checkpointKey, Integer resumedFromEpoch) {
  public EpochResult {
    if (metrics == null || checkpointKey == null) {
      throw new IllegalArgumentException("metrics and checkpoint key must not be null");
    }
  }
}
