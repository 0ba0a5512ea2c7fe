package io.tunelab.dataset;

/**
 * Thrown when the user's input cannot be ingested as given: a missing source folder, a class
 * without usable images, too few classes, splits with different classes, or an unknown class
 * selected. The message says exactly what is wrong, in words a user can act on; retrying does not
 * help.
 */
public class BadInputException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception with a message that names what is wrong. */
  public BadInputException(String message) {
    super(message);
  }
}
