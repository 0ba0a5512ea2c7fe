package io.tunelab.workflows.model;

/** The tensor shape a model takes: channels, height and width of one image. */
public record ImageShape(int channels, int height, int width) {
  public ImageShape {
    if (channels != 1 && channels != 3) {
      throw new IllegalArgumentException("channels must be 1 or 3: " + channels);
    }
    if (height < 8 || width < 8) {
      throw new IllegalArgumentException("image must be at least 8x8: " + height + "x" + width);
    }
  }

  /** The number of bytes one image of this shape takes, one byte per channel value. */
  public int pixels() {
    return channels * height * width;
  }

  @Override
  public String toString() {
    return channels + "x" + height + "x" + width;
  }
}
