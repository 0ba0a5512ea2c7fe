package io.tunelab.dataset;

import io.tunelab.workflows.model.SampleKind;
import io.tunelab.workflows.model.SampleShape;

/**
 * A stack of frames shown where an image is shown (report tiles, augmentation previews): {@value
 * #FRAMES} of its frames, evenly spaced from the first to the last, side by side with a one-pixel
 * black gap. An image is shown as itself.
 *
 * @param pixels the picture's pixels, packed CHW
 * @param shape the picture's shape, an image's
 */
public record Filmstrip(byte[] pixels, SampleShape shape) {
  /** Frames a strip shows (fewer when the stack has fewer). */
  public static final int FRAMES = 4;

  /**
   * The picture of a sample: an image as it is, a clip as a strip of its frames.
   *
   * @throws IllegalArgumentException when the sample is a table row or the pixels do not fit
   */
  public static Filmstrip of(byte[] sample, SampleShape shape) {
    if (sample.length != shape.size()) {
      throw new IllegalArgumentException(
          "a " + shape + " sample has " + shape.size() + " bytes, not " + sample.length);
    }
    if (shape.kind() == SampleKind.IMAGE) {
      return new Filmstrip(sample, shape);
    }
    if (shape.kind() != SampleKind.CLIP) {
      throw new IllegalArgumentException("a " + shape + " sample has no picture");
    }
    int c = shape.channels();
    int t = shape.frames();
    int h = shape.height();
    int w = shape.width();
    int shown = Math.min(FRAMES, t);
    int stripW = shown * w + (shown - 1);
    byte[] strip = new byte[c * h * stripW];
    for (int k = 0; k < shown; k++) {
      int frame = shown == 1 ? 0 : (int) Math.round((double) k * (t - 1) / (shown - 1));
      for (int ch = 0; ch < c; ch++) {
        int from = (ch * t + frame) * h * w;
        for (int y = 0; y < h; y++) {
          System.arraycopy(
              sample, from + y * w, strip, ch * h * stripW + y * stripW + k * (w + 1), w);
        }
      }
    }
    return new Filmstrip(strip, SampleShape.image(c, h, stripW));
  }

  /** The picture as a PNG. */
  public byte[] png() {
    return PngEncoder.encode(pixels, shape);
  }
}
