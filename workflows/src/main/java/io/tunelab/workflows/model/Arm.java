package io.tunelab.workflows.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * A training arm of a run: the fine-tuned model, its from-scratch baseline, or a pretrain run's
 * source model.
 */
public enum Arm {
  FINETUNE("finetune"),
  SCRATCH("scratch"),
  PRETRAIN("pretrain");

  private final String wire;

  Arm(String wire) {
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
   * @throws IllegalArgumentException naming the arm and its values when there is none
   */
  @JsonCreator
  public static Arm parse(String value) {
    return Choices.parse("arm", values(), Arm::wire, value);
  }

  @Override
  public String toString() {
    return wire;
  }
}
