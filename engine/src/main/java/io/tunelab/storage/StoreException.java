package io.tunelab.storage;

/**
 * An object-store operation failed; {@link #unreachable()} tells a dead endpoint from other faults.
 */
public class StoreException extends RuntimeException {
  private final boolean unreachable;

  public StoreException(String message, Throwable cause, boolean unreachable) {
    super(message, cause);
    this.unreachable = unreachable;
  }

  /**
   * Whether the endpoint could not be reached at all (connection refused, unknown host, timeout).
   */
  public boolean unreachable() {
    return unreachable;
  }
}
