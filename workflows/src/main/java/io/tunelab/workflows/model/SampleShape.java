package io.tunelab.workflows.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The tensor shape of one sample a model takes, without the batch dimension: its kind and its
 * dimensions. An image is channels × height × width; a table's row is its number of features; a
 * clip is channels × frames × height × width.
 *
 * <p>In JSON an image shape is {@code {"channels":C,"height":H,"width":W}}, as it always was (old
 * histories, manifests, profiles and registry entries read as they are); other kinds are {@code
 * {"kind":"table","dims":[F]}}. {@link #toString()} joins the dimensions with {@code x} ({@code
 * 1x28x28}), as reports show it.
 *
 * @param kind what a sample is
 * @param dims the dimensions, outermost first
 */
public record SampleShape(SampleKind kind, List<Integer> dims) {
  public SampleShape {
    Objects.requireNonNull(kind, "kind");
    dims = List.copyOf(dims);
    int expected =
        switch (kind) {
          case IMAGE -> 3;
          case TABLE -> 1;
          case CLIP -> 4;
        };
    if (dims.size() != expected) {
      throw new IllegalArgumentException(
          "a " + kind + " shape has " + expected + " dimensions: " + dims);
    }
    for (int d : dims) {
      if (d < 1) {
        throw new IllegalArgumentException("dimensions must be >= 1: " + dims);
      }
    }
    if (kind != SampleKind.TABLE) {
      int channels = dims.get(0);
      int height = dims.get(dims.size() - 2);
      int width = dims.get(dims.size() - 1);
      if (channels != 1 && channels != 3) {
        throw new IllegalArgumentException("channels must be 1 or 3: " + channels);
      }
      if (height < 8 || width < 8) {
        throw new IllegalArgumentException(kind + " must be at least 8x8: " + height + "x" + width);
      }
    }
  }

  /** An image of {@code channels} (1 or 3) × {@code height} × {@code width}, at least 8×8. */
  public static SampleShape image(int channels, int height, int width) {
    return new SampleShape(SampleKind.IMAGE, List.of(channels, height, width));
  }

  /** A table's row of {@code features} values. */
  public static SampleShape table(int features) {
    return new SampleShape(SampleKind.TABLE, List.of(features));
  }

  /** A clip of {@code frames} frames of {@code channels} × {@code height} × {@code width}. */
  public static SampleShape clip(int channels, int frames, int height, int width) {
    return new SampleShape(SampleKind.CLIP, List.of(channels, frames, height, width));
  }

  /** Reads both JSON forms: an image's channels, height and width, or a kind and dimensions. */
  @JsonCreator
  static SampleShape fromJson(
      @JsonProperty("kind") SampleKind kind,
      @JsonProperty("dims") List<Integer> dims,
      @JsonProperty("channels") Integer channels,
      @JsonProperty("height") Integer height,
      @JsonProperty("width") Integer width) {
    if (dims != null) {
      return new SampleShape(kind == null ? SampleKind.IMAGE : kind, dims);
    }
    if (channels == null || height == null || width == null) {
      throw new IllegalArgumentException(
          "a shape needs dims, or channels, height and width: "
              + channels
              + ", "
              + height
              + ", "
              + width);
    }
    return image(channels, height, width);
  }

  /** The JSON form: see the class comment. */
  @JsonValue
  Map<String, Object> toJson() {
    Map<String, Object> json = new LinkedHashMap<>();
    if (kind == SampleKind.IMAGE) {
      json.put("channels", channels());
      json.put("height", height());
      json.put("width", width());
    } else {
      json.put("kind", kind);
      json.put("dims", dims);
    }
    return json;
  }

  /** The number of values one sample holds (for images: one byte per channel and pixel). */
  public int size() {
    int size = 1;
    for (int d : dims) {
      size = Math.multiplyExact(size, d);
    }
    return size;
  }

  /** The channels of an image or a clip's frames. */
  public int channels() {
    requireSpatial("channels");
    return dims.get(0);
  }

  /** The height of an image or a clip's frames. */
  public int height() {
    requireSpatial("height");
    return dims.get(dims.size() - 2);
  }

  /** The width of an image or a clip's frames. */
  public int width() {
    requireSpatial("width");
    return dims.get(dims.size() - 1);
  }

  /** The frames of a clip. */
  public int frames() {
    if (kind != SampleKind.CLIP) {
      throw new IllegalStateException("a " + kind + " shape has no frames: " + this);
    }
    return dims.get(1);
  }

  /** The features of a table's row. */
  public int features() {
    if (kind != SampleKind.TABLE) {
      throw new IllegalStateException("a " + kind + " shape has no features: " + this);
    }
    return dims.get(0);
  }

  private void requireSpatial(String what) {
    if (kind == SampleKind.TABLE) {
      throw new IllegalStateException("a table shape has no " + what + ": " + this);
    }
  }

  @Override
  public String toString() {
    return dims.stream().map(String::valueOf).collect(Collectors.joining("x"));
  }
}
