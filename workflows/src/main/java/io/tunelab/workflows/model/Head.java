package io.tunelab.workflows.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * How a fine-tune arm starts its output layer: all new, or with the units of the target classes
 * whose names the pretrained model also has taken from the pretrained model's output layer.
 */
public enum Head {
  NEW("new"),
  REUSE("reuse");

  private final String wire;

  Head(String wire) {
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
   * @throws IllegalArgumentException naming the head and its values when there is none
   */
  @JsonCreator
  public static Head parse(String value) {
    return Choices.parse("head", values(), Head::wire, value);
  }

  @Override
  public String toString() {
    return wire;
  }
}
