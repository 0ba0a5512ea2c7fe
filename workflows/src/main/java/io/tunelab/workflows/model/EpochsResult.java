package io.tunelab.workflows.model;

import java.util.List;

/** What an activity training several epochs returns: each epoch's result, in order. */
public record EpochsResult(List<EpochResult> epochs) {
  public EpochsResult {
    if (epochs == null || epochs.isEmpty()) {
      throw new IllegalArgumentException("an activity of epochs returns at least one epoch");
    }
    epochs = List.copyOf(epochs);
  }
}
