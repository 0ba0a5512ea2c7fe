package io.tunelab.cli;

/** Bad usage or bad input: exit code 2, message on stderr. */
public class UsageException extends RuntimeException {
  public UsageException(String message) {
    super(message);
  }
}
