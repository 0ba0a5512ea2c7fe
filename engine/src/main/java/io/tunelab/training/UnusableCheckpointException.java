package io.tunelab.training;

/**
 * The checkpoint an epoch starts from is missing or corrupt (failed its checksum or could not be
 * parsed). Retrying the epoch cannot help: the workflow trains the epoch before it again.
 */
public final class UnusableCheckpointException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception with a message that names the checkpoint and what is wrong. */
  public UnusableCheckpointException(String message, Throwable cause) {
    super(message, cause);
  }
}
