package io.tunelab.dataset;

import io.tunelab.workflows.model.SampleShape;
import java.util.Arrays;
import java.util.Objects;

/**
 * A packed split of images in memory: one byte per channel value, channel-major (CHW) per image,
 * images one after another, with one label per image.
 */
public final class LabeledImages {
  private final SampleShape shape;
  private final byte[] pixels;
  private final int[] labels;

  /**
   * Wraps packed pixels and labels; the arrays are not copied.
   *
   * @throws IllegalArgumentException when the pixel count does not match the labels and shape
   */
  public LabeledImages(SampleShape shape, byte[] pixels, int[] labels) {
    this.shape = Objects.requireNonNull(shape, "shape");
    this.pixels = Objects.requireNonNull(pixels, "pixels");
    this.labels = Objects.requireNonNull(labels, "labels");
    if ((long) labels.length * shape.size() != pixels.length) {
      throw new IllegalArgumentException(
          "pixel bytes "
              + pixels.length
              + " do not match "
              + labels.length
              + " images of "
              + shape);
    }
  }

  public SampleShape shape() {
    return shape;
  }

  /** Number of images. */
  public int size() {
    return labels.length;
  }

  public int label(int index) {
    return labels[index];
  }

  /** The packed pixels; callers must not modify them. */
  public byte[] pixels() {
    return pixels;
  }

  /** The labels; callers must not modify them. */
  public int[] labels() {
    return labels;
  }

  /** A copy of one image's bytes. */
  public byte[] image(int index) {
    int n = shape.size();
    return Arrays.copyOfRange(pixels, index * n, (index + 1) * n);
  }
}
