package io.tunelab.cli;

/** Temporal or the object store cannot be reached: exit code 3. */
public class UnreachableException extends RuntimeException {
  public UnreachableException(String message, Throwable cause) {
    super(message, cause);
  }
}
