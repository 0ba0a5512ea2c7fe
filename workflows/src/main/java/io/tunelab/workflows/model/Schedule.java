package io.tunelab.workflows.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** How the learning rate changes over the epochs (after any warmup). */
public enum Schedule {
  NONE("none"),
  STEP("step"),
  COSINE("cosine"),
  PLATEAU("plateau");

  private final String wire;

  Schedule(String wire) {
    this.wire = wire;
  }

  /** The value as it appears on the command line, in JSON and in histories. */
  @JsonValue
  public String wire() {
    return wire;
  }

  /**
   * The constant for a wire value.
   *
   * @throws IllegalArgumentException naming the schedule and its values when there is none
   */
  @JsonCreator
  public static Schedule parse(String value) {
    return Choices.parse("schedule", values(), Schedule::wire, value);
  }

  @Override
  public String toString() {
    return wire;
  }
}
