package io.tunelab.workflows;

import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.TemporalFailure;

/** Turns Temporal failure chains into the one message a user needs. */
public final class Failures {
  private Failures() {}

  /** The innermost failure's own message, without Temporal's wrapping. */
  public static String message(Throwable failure) {
    Throwable t = failure;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    if (t instanceof ApplicationFailure app) {
      return app.getOriginalMessage();
    }
    if (t instanceof TemporalFailure tf) {
      return tf.getOriginalMessage();
    }
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }

  /** The innermost application failure's type, or {@code null}. */
  public static String type(Throwable failure) {
    String type = null;
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof ApplicationFailure app) {
        type = app.getType();
      }
    }
    return type;
  }
}
