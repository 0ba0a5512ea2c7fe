package io.tunelab.workflows.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Where to train: the best device present, the CPU, or a GPU (falling back to the CPU when none is
 * present).
 */
public enum Device {
  AUTO("auto"),
  CPU("cpu"),
  GPU("gpu");

  private final String wire;

  Device(String wire) {
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
   * @throws IllegalArgumentException naming the device and its values when there is none
   */
  @JsonCreator
  public static Device parse(String value) {
    return Choices.parse("device", values(), Device::wire, value);
  }

  @Override
  public String toString() {
    return wire;
  }
}
