package io.tunelab.workflows.model;

import java.util.function.Function;

/** Reads a choice from its wire value, naming the choice and the values it takes when it fails. */
final class Choices {
  private Choices() {}

  /**
   * The constant whose wire value is {@code value}.
   *
   * @throws IllegalArgumentException naming {@code name} and the allowed values, as {@code
   *     "optimizer must be one of sgd|adam|adamw: x"}
   */
  static <E extends Enum<E>> E parse(
      String name, E[] constants, Function<E, String> wire, String value) {
    for (E c : constants) {
      if (wire.apply(c).equals(value)) {
        return c;
      }
    }
    StringBuilder allowed = new StringBuilder();
    for (E c : constants) {
      allowed.append(allowed.length() == 0 ? "" : "|").append(wire.apply(c));
    }
    throw new IllegalArgumentException(name + " must be one of " + allowed + ": " + value);
  }

  /**
   * Throws unless {@code value} is one of {@code allowed}, for choices that stay strings (a split's
   * name, a finding's severity, an architecture).
   */
  static void requireOneOf(String name, String value, String... allowed) {
    for (String a : allowed) {
      if (a.equals(value)) {
        return;
      }
    }
    throw new IllegalArgumentException(
        name + " must be one of " + String.join("|", allowed) + ": " + value);
  }

  /** The value itself, or a message naming the field when it is missing. */
  static <T> T required(String name, T value) {
    if (value == null) {
      throw new IllegalArgumentException(name + " must not be null");
    }
    return value;
  }
}
