package io.tunelab.activities;

import io.temporal.failure.ApplicationFailure;
import io.tunelab.workflows.ActivityStubs;

/** Turns a user's mistake into a non-retryable activity failure of type {@code BadInput}. */
public final class BadInput {
  private BadInput() {}

  public static ApplicationFailure failure(String message) {
    return ApplicationFailure.newNonRetryableFailure(message, ActivityStubs.BAD_INPUT);
  }
}
