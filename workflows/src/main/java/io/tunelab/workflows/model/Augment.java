package io.tunelab.workflows.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** The augmentation policy of the training split. */
public enum Augment {
  NONE("none"),
  LIGHT("light"),
  STANDARD("standard"),
  STRONG("strong");

  private final String wire;

  Augment(String wire) {
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
   * @throws IllegalArgumentException naming the augment and its values when there is none
   */
  @JsonCreator
  public static Augment parse(String value) {
    return Choices.parse("augment", values(), Augment::wire, value);
  }

  @Override
  public String toString() {
    return wire;
  }
}
