package io.tunelab.infra;

/**
 * Signals that a part of the embedded stack could not start.
 *
 * <p>The message is meant for a person: it names the port, directory or file at fault and says what
 * went wrong, so a command-line tool can print it without a stack trace.
 */
public final class EmbeddedStartException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception with a message for a person and the underlying cause.
   *
   * @param message what could not start and why, naming the port, directory or file
   * @param cause the underlying failure, or {@code null}
   */
  public EmbeddedStartException(String message, Throwable cause) {
    super(message, cause);
  }
}
