package io.tunelab.workflows.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The kind of data a sample is: an image, a table's row, or a video clip (a stack of frames). */
public enum SampleKind {
  IMAGE,
  TABLE,
  CLIP;

  /** The name in JSON and on the command line: lower case. */
  @JsonValue
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** What its samples are called in a sentence: images, rows, clips. */
  public String plural() {
    return switch (this) {
      case IMAGE -> "images";
      case TABLE -> "rows";
      case CLIP -> "clips";
    };
  }

  /** The kind named {@code wire} (any case). */
  @JsonCreator
  public static SampleKind of(String wire) {
    for (SampleKind kind : values()) {
      if (kind.wire().equalsIgnoreCase(wire)) {
        return kind;
      }
    }
    throw new IllegalArgumentException(
        "kind must be one of "
            + Arrays.stream(values()).map(SampleKind::wire).collect(Collectors.joining(", "))
            + ": "
            + wire);
  }

  @Override
  public String toString() {
    return wire();
  }
}
