package io.tunelab.workflows.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * The status of a run or of one of its arms. Runs are {@code RUNNING} until they end {@code
 * COMPLETED}, {@code FAILED} or {@code CANCELED}; an arm is {@code PENDING} before its first epoch.
 * {@code TERMINATED} and {@code TIMED_OUT} are what Temporal reports of a workflow ended outside
 * the run, and {@code LOST} marks a run recorded as running whose workflow no longer exists.
 */
public enum RunStatus {
  PENDING,
  RUNNING,
  COMPLETED,
  FAILED,
  CANCELED,
  TERMINATED,
  TIMED_OUT,
  LOST;

  /** The value as it appears in JSON, histories and the command line's output: the name. */
  @JsonValue
  public String wire() {
    return name();
  }

  /**
   * The constant for a wire value.
   *
   * @throws IllegalArgumentException naming the status and its values when there is none
   */
  @JsonCreator
  public static RunStatus parse(String value) {
    return Choices.parse("status", values(), RunStatus::wire, value);
  }
}
