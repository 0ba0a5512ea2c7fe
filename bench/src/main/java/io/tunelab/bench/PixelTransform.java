package io.tunelab.bench;

import io.tunelab.workflows.model.SampleShape;
import java.util.Random;

/**
 * What {@link ScenarioDatasets} does to every pixel of every split to plant a domain shift: the
 * same transform on train, val and test, so that the target task stays learnable but its images
 * look unlike the source model's.
 */
final class PixelTransform {
  /** Nothing done. */
  static final String NONE = "none";

  /** 255 - x: light objects on black. */
  static final String INVERT = "invert";

  /** Each channel turned a quarter turn clockwise (square images only). */
  static final String ROTATE90 = "rotate90";

  /**
   * The pixels of each channel shuffled by one fixed permutation (the same for every image): the
   * labels stay learnable from the pixels, but no local structure the source model learned is left.
   */
  static final String SCRAMBLE = "scramble";

  /** Seed of the {@link #SCRAMBLE} permutation: fixed, so every split gets the same one. */
  private static final long SCRAMBLE_SEED = 20261206L;

  private PixelTransform() {}

  /** The transformed pixels of one CHW image (may be the array given, changed in place). */
  static byte[] apply(String transform, byte[] pixels, SampleShape shape) {
    int h = shape.height();
    int w = shape.width();
    int plane = h * w;
    switch (transform) {
      case NONE:
        return pixels;
      case INVERT:
        for (int p = 0; p < pixels.length; p++) {
          pixels[p] = (byte) (255 - (pixels[p] & 0xff));
        }
        return pixels;
      case ROTATE90:
        if (h != w) {
          throw new IllegalArgumentException("rotate90 needs square images, not " + shape);
        }
        byte[] turned = new byte[pixels.length];
        for (int c = 0; c < pixels.length / plane; c++) {
          for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
              // (y, x) goes to (x, h - 1 - y): a clockwise quarter turn.
              turned[c * plane + x * w + (h - 1 - y)] = pixels[c * plane + y * w + x];
            }
          }
        }
        return turned;
      case SCRAMBLE:
        int[] permutation = permutation(plane);
        byte[] scrambled = new byte[pixels.length];
        for (int c = 0; c < pixels.length / plane; c++) {
          for (int p = 0; p < plane; p++) {
            scrambled[c * plane + p] = pixels[c * plane + permutation[p]];
          }
        }
        return scrambled;
      default:
        throw new IllegalArgumentException(
            "unknown transform " + transform + " (none, invert, rotate90, scramble)");
    }
  }

  /** The fixed permutation of {@code n} pixel positions (Fisher-Yates with a fixed seed). */
  private static int[] permutation(int n) {
    int[] p = new int[n];
    for (int i = 0; i < n; i++) {
      p[i] = i;
    }
    Random random = new Random(SCRAMBLE_SEED);
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }
}
