package io.tunelab.cli;

/** A run ended FAILED or CANCELED: exit code 1. */
public class RunFailedException extends RuntimeException {
  public RunFailedException(String message) {
    super(message);
  }
}
