package io.tunelab.workflows.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * How a fine-tune arm treats the pretrained backbone: trains it, freezes it, or unfreezes it block
 * by block.
 */
public enum Freeze {
  NONE("none"),
  BACKBONE("backbone"),
  GRADUAL("gradual");

  private final String wire;

  Freeze(String wire) {
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
   * @throws IllegalArgumentException naming the freeze and its values when there is none
   */
  @JsonCreator
  public static Freeze parse(String value) {
    return Choices.parse("freeze", values(), Freeze::wire, value);
  }

  @Override
  public String toString() {
    return wire;
  }
}
