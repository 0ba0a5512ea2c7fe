package io.tunelab.dataset;

/**
 * Decoded pixels as {@link ImageDecoder} takes them from either decoder ({@link PngDecoder} or
 * {@code ImageIO}).
 *
 * @param width width in pixels
 * @param height height in pixels
 * @param grey one grey plane ({@code true}) or three colour planes, red, green, blue
 * @param values the plane(s), row-major, alpha composited over black
 */
record Pixels(int width, int height, boolean grey, byte[] values) {

  /**
   * Three colour planes filled pixel by pixel from non-premultiplied 8-bit values, composited over
   * black as {@code (v * a + 127) / 255} (which leaves opaque pixels as they are), and given back
   * as one grey plane when the three values agree at every pixel.
   */
  static final class Colour {
    private final int width;
    private final int height;
    private final byte[] values;
    private boolean grey = true;

    Colour(int width, int height) {
      this.width = width;
      this.height = height;
      this.values = new byte[3 * width * height];
    }

    /** Sets pixel {@code i} (row-major) from red, green, blue and alpha, each 0..255. */
    void set(int i, int r, int g, int b, int a) {
      if (a != 255) {
        r = (r * a + 127) / 255;
        g = (g * a + 127) / 255;
        b = (b * a + 127) / 255;
      }
      int n = width * height;
      values[i] = (byte) r;
      values[n + i] = (byte) g;
      values[2 * n + i] = (byte) b;
      grey &= r == g && g == b;
    }

    Pixels pixels() {
      if (grey) {
        return new Pixels(width, height, true, java.util.Arrays.copyOf(values, width * height));
      }
      return new Pixels(width, height, false, values);
    }
  }
}
