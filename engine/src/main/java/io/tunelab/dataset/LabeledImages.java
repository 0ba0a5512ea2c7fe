package io.tunelab.dataset;

import io.tunelab.workflows.model.SampleKind;
import io.tunelab.workflows.model.SampleShape;
import java.util.Arrays;
import java.util.Objects;

/**
 * A packed split of samples in memory with one label per sample. Images: one byte per channel
 * value, channel-major (CHW) per image, images one after another. A table's rows ({@link #rows}):
 * float feature values, row after row, already standardised for the network (they have no pixels).
 */
public final class LabeledImages {
  private final SampleShape shape;
  private final byte[] pixels;
  private final float[] values;
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
    this.values = null;
    if (shape.kind() == SampleKind.TABLE) {
      throw new IllegalArgumentException("a table's rows are floats: LabeledImages.rows");
    }
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

  private LabeledImages(SampleShape shape, float[] values, int[] labels) {
    this.shape = shape;
    this.pixels = null;
    this.values = values;
    this.labels = labels;
  }

  /**
   * Wraps a table's rows: {@code shape.features()} values per row, row-major; the arrays are not
   * copied.
   *
   * @throws IllegalArgumentException when the shape is not a table's or the value count does not
   *     match the labels
   */
  public static LabeledImages rows(SampleShape shape, float[] values, int[] labels) {
    Objects.requireNonNull(shape, "shape");
    Objects.requireNonNull(values, "values");
    Objects.requireNonNull(labels, "labels");
    if (shape.kind() != SampleKind.TABLE) {
      throw new IllegalArgumentException("rows need a table shape: " + shape);
    }
    if ((long) labels.length * shape.size() != values.length) {
      throw new IllegalArgumentException(
          "values " + values.length + " do not match " + labels.length + " rows of " + shape);
    }
    return new LabeledImages(shape, values, labels);
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

  /**
   * The packed pixels; callers must not modify them.
   *
   * @throws IllegalStateException for a table's rows
   */
  public byte[] pixels() {
    if (pixels == null) {
      throw new IllegalStateException("a table's rows have no pixels");
    }
    return pixels;
  }

  /**
   * A table's standardised values, row-major; callers must not modify them.
   *
   * @throws IllegalStateException for images
   */
  public float[] values() {
    if (values == null) {
      throw new IllegalStateException("images have no feature values");
    }
    return values;
  }

  /** The labels; callers must not modify them. */
  public int[] labels() {
    return labels;
  }

  /** A copy of one image's bytes. */
  public byte[] image(int index) {
    int n = shape.size();
    return Arrays.copyOfRange(pixels(), index * n, (index + 1) * n);
  }
}
