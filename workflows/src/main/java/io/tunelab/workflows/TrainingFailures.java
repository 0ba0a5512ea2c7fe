package io.tunelab.workflows;

/** Failure types that training activities raise and the epoch loop acts on. */
public final class TrainingFailures {
  /**
   * The previous epoch's checkpoint failed its checksum or could not be parsed. Not retried: the
   * workflow trains that epoch again from the checkpoint before it.
   */
  public static final String CORRUPT_CHECKPOINT = "CorruptCheckpoint";

  private TrainingFailures() {}
}
