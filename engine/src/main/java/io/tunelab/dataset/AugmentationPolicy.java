package io.tunelab.dataset;

import io.tunelab.workflows.model.Augment;
import io.tunelab.workflows.model.SampleShape;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * A named augmentation recipe, applied in pure Java to packed CHW bytes. For each image it draws,
 * in this order and only for the parts the recipe uses: a horizontal flip (probability one half), a
 * random resized crop (area fraction from {@code minCropScale} to 1, aspect ratio from 3/4 to 4/3,
 * random position), a translation by whole pixels (up to {@code maxTranslate} of the width and
 * height), a rotation about the centre (up to {@code maxRotationDegrees} either way), a brightness
 * factor (1 plus or minus up to {@code brightness}) and a contrast factor (1 plus or minus up to
 * {@code contrast}, around the image's mean). Geometry is resampled bilinearly with black outside
 * the image. The output has the same shape as the input, and the same random source state gives the
 * same output.
 *
 * <ul>
 *   <li>{@code none}: the identity ({@link Augmenter#NONE}).
 *   <li>{@code light}: flip and a translation of up to 10%.
 *   <li>{@code standard}: flip, crop of area 0.8 to 1, rotation up to 10 degrees, brightness and
 *       contrast up to 0.1.
 *   <li>{@code strong}: flip, crop of area 0.6 to 1, translation up to 12.5%, rotation up to 20
 *       degrees, brightness and contrast up to 0.3.
 * </ul>
 *
 * @param name the recipe's name
 * @param flip whether images are flipped left-right half of the time
 * @param maxTranslate largest shift as a fraction of the width (and height)
 * @param minCropScale smallest crop area as a fraction of the image; 1 means no crop
 * @param maxRotationDegrees largest rotation either way
 * @param brightness largest change of the brightness factor
 * @param contrast largest change of the contrast factor
 */
public record AugmentationPolicy(
    String name,
    boolean flip,
    double maxTranslate,
    double minCropScale,
    double maxRotationDegrees,
    double brightness,
    double contrast)
    implements Augmenter {

  /** Checks that every range is within sensible bounds. */
  public AugmentationPolicy {
    if (maxTranslate < 0
        || maxTranslate > 0.5
        || minCropScale <= 0
        || minCropScale > 1
        || maxRotationDegrees < 0
        || maxRotationDegrees > 180
        || brightness < 0
        || brightness >= 1
        || contrast < 0
        || contrast >= 1) {
      throw new IllegalArgumentException(
          "augmentation ranges out of bounds: translate "
              + maxTranslate
              + ", crop "
              + minCropScale
              + ", rotation "
              + maxRotationDegrees
              + ", brightness "
              + brightness
              + ", contrast "
              + contrast);
    }
  }

  /** The accepted names, mildest first. */
  public static final List<String> NAMES = List.of("none", "light", "standard", "strong");

  private static final double MIN_ASPECT_LOG = Math.log(3.0 / 4.0);
  private static final double MAX_ASPECT_LOG = Math.log(4.0 / 3.0);

  /**
   * Returns the augmenter of a recipe name (case-insensitive).
   *
   * @throws IllegalArgumentException when the name is none of {@link #NAMES}
   */
  public static Augmenter forName(String name) {
    String key = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
    for (Augment policy : Augment.values()) {
      if (policy.wire().equals(key)) {
        return of(policy);
      }
    }
    throw new IllegalArgumentException(
        "unknown augmentation '" + name + "'; allowed: " + String.join(", ", NAMES));
  }

  /** Returns the augmenter of a policy. */
  public static Augmenter of(Augment policy) {
    return switch (policy) {
      case NONE -> Augmenter.NONE;
      case LIGHT -> new AugmentationPolicy("light", true, 0.10, 1.0, 0, 0, 0);
      case STANDARD -> new AugmentationPolicy("standard", true, 0, 0.8, 10, 0.1, 0.1);
      case STRONG -> new AugmentationPolicy("strong", true, 0.125, 0.6, 20, 0.3, 0.3);
    };
  }

  @Override
  public byte[] apply(byte[] image, SampleShape shape, Random rng) {
    int w = shape.width();
    int h = shape.height();
    if (image.length != shape.size()) {
      throw new IllegalArgumentException(
          "image has " + image.length + " bytes, shape " + shape + " needs " + shape.size());
    }
    boolean mirror = flip && rng.nextBoolean();
    double cropW = w;
    double cropH = h;
    double centreX = w / 2.0;
    double centreY = h / 2.0;
    if (minCropScale < 1) {
      double area = minCropScale + rng.nextDouble() * (1 - minCropScale);
      double aspect =
          Math.exp(MIN_ASPECT_LOG + rng.nextDouble() * (MAX_ASPECT_LOG - MIN_ASPECT_LOG));
      cropW = Math.min(w, w * Math.sqrt(area * aspect));
      cropH = Math.min(h, h * Math.sqrt(area / aspect));
      centreX += (rng.nextDouble() - 0.5) * (w - cropW);
      centreY += (rng.nextDouble() - 0.5) * (h - cropH);
    }
    if (maxTranslate > 0) {
      centreX -= Math.round((rng.nextDouble() * 2 - 1) * maxTranslate * w);
      centreY -= Math.round((rng.nextDouble() * 2 - 1) * maxTranslate * h);
    }
    double angle =
        maxRotationDegrees > 0
            ? Math.toRadians((rng.nextDouble() * 2 - 1) * maxRotationDegrees)
            : 0;
    double brightnessFactor = brightness > 0 ? 1 + (rng.nextDouble() * 2 - 1) * brightness : 1;
    double contrastFactor = contrast > 0 ? 1 + (rng.nextDouble() * 2 - 1) * contrast : 1;

    byte[] out = image;
    if (mirror
        || angle != 0
        || cropW != w
        || cropH != h
        || centreX != w / 2.0
        || centreY != h / 2.0) {
      out =
          warp(
              image, shape.channels(), h, w, mirror, angle, cropW / w, cropH / h, centreX, centreY);
    }
    if (brightnessFactor != 1 || contrastFactor != 1) {
      out = adjust(out, brightnessFactor, contrastFactor);
    }
    return out;
  }

  /** Samples the source at the inverse-mapped centre of every output pixel. */
  private static byte[] warp(
      byte[] src,
      int channels,
      int h,
      int w,
      boolean mirror,
      double angle,
      double scaleX,
      double scaleY,
      double centreX,
      double centreY) {
    byte[] out = new byte[src.length];
    double cos = Math.cos(angle);
    double sin = Math.sin(angle);
    int plane = h * w;
    for (int y = 0; y < h; y++) {
      double oy = y + 0.5 - h / 2.0;
      for (int x = 0; x < w; x++) {
        double ox = x + 0.5 - w / 2.0;
        if (mirror) {
          ox = -ox;
        }
        double rx = cos * ox + sin * oy;
        double ry = -sin * ox + cos * oy;
        double fx = centreX + rx * scaleX - 0.5;
        double fy = centreY + ry * scaleY - 0.5;
        int x0 = (int) Math.floor(fx);
        int y0 = (int) Math.floor(fy);
        double ax = fx - x0;
        double ay = fy - y0;
        for (int c = 0; c < channels; c++) {
          int base = c * plane;
          double v =
              (1 - ay)
                      * ((1 - ax) * sample(src, base, h, w, x0, y0)
                          + ax * sample(src, base, h, w, x0 + 1, y0))
                  + ay
                      * ((1 - ax) * sample(src, base, h, w, x0, y0 + 1)
                          + ax * sample(src, base, h, w, x0 + 1, y0 + 1));
          out[base + y * w + x] = Resampler.toByte((float) v);
        }
      }
    }
    return out;
  }

  private static int sample(byte[] src, int base, int h, int w, int x, int y) {
    return x < 0 || y < 0 || x >= w || y >= h ? 0 : src[base + y * w + x] & 0xff;
  }

  /** Scales contrast around the image's mean value, then multiplies by the brightness. */
  private static byte[] adjust(byte[] src, double brightnessFactor, double contrastFactor) {
    long sum = 0;
    for (byte b : src) {
      sum += b & 0xff;
    }
    double mean = (double) sum / src.length;
    byte[] out = new byte[src.length];
    for (int i = 0; i < src.length; i++) {
      double v = ((src[i] & 0xff) - mean) * contrastFactor + mean;
      out[i] = Resampler.toByte((float) (v * brightnessFactor));
    }
    return out;
  }
}
