package io.tunelab.training;

/**
 * Thrown when checkpoint bytes cannot be trusted: they are truncated, carry the wrong magic number
 * or format version, or their SHA-256 checksum does not match their content. It is unchecked
 * because no retry of the same bytes can succeed; callers that store checkpoints should treat it as
 * a permanent failure of that object.
 */
public final class CorruptCheckpointException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception with a message that says what was wrong. */
  public CorruptCheckpointException(String message) {
    super(message);
  }

  /** Creates the exception with a message and the low-level cause. */
  public CorruptCheckpointException(String message, Throwable cause) {
    super(message, cause);
  }
}
