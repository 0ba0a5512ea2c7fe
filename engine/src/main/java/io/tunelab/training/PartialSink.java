package io.tunelab.training;

/**
 * Where {@link EpochTrainer} saves an epoch in flight when the caller asks for it (see {@code
 * TrainingParams.checkpointEverySeconds}). Asked after every step whether a save is due; a failed
 * save must throw: the epoch then fails rather than going on unprotected.
 */
public interface PartialSink {
  /** Whether the epoch should be saved now, after the step just done. */
  boolean due();

  /** Stores the epoch in flight; throws when it could not be stored. */
  void save(PartialEpoch partial);
}
