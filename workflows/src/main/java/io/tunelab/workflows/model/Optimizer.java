package io.tunelab.workflows.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** The optimizer that updates the weights. */
public enum Optimizer {
  SGD("sgd"),
  ADAM("adam"),
  ADAMW("adamw");

  private final String wire;

  Optimizer(String wire) {
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
   * @throws IllegalArgumentException naming the optimizer and its values when there is none
   */
  @JsonCreator
  public static Optimizer parse(String value) {
    return Choices.parse("optimizer", values(), Optimizer::wire, value);
  }

  @Override
  public String toString() {
    return wire;
  }
}
