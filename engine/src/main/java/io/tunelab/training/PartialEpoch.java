package io.tunelab.training;

import java.util.Objects;

/**
 * An epoch in flight, saved part-way so that a retry can continue it: the model, optimizer and
 * progress after {@code stepsDone} steps.
 *
 * @param checkpoint a {@link Checkpoint} (encoded, with its SHA-256) of the epoch's own number,
 *     holding the parameters and optimizer state after {@code stepsDone} steps
 * @param stepsDone optimisation steps of the epoch already done, &gt; 0
 * @param lossSum sum over the examples trained so far of their training loss
 * @param correct examples trained so far that the model classified correctly as it trained
 * @param seen examples trained so far
 */
public record PartialEpoch(
    byte[] checkpoint, int stepsDone, double lossSum, long correct, int seen) {
  public PartialEpoch {
    Objects.requireNonNull(checkpoint, "checkpoint");
    if (stepsDone <= 0) {
      throw new IllegalArgumentException("steps done must be > 0: " + stepsDone);
    }
    if (seen <= 0 || correct < 0 || correct > seen) {
      throw new IllegalArgumentException(
          "progress must have 0 <= correct <= seen, seen > 0: " + correct + " of " + seen);
    }
  }
}
