package io.tunelab.dataset;

/**
 * Resizes planar images: area averaging along an axis that shrinks, bilinear interpolation (pixel
 * centres aligned, edges clamped) along an axis that grows, and an exact copy along an axis that
 * keeps its size. The two axes are resampled one after the other.
 */
final class Resampler {
  private Resampler() {}

  /**
   * Resizes packed CHW bytes.
   *
   * @param src {@code channels * srcH * srcW} bytes
   * @return {@code channels * dstH * dstW} bytes
   */
  static byte[] resize(byte[] src, int channels, int srcH, int srcW, int dstH, int dstW) {
    if (srcH == dstH && srcW == dstW) {
      return src.clone();
    }
    float[] values = resizeToFloat(src, channels, srcH, srcW, dstH, dstW);
    byte[] out = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = toByte(values[i]);
    }
    return out;
  }

  /** Resizes packed CHW bytes into unrounded values in [0, 255]. */
  static float[] resizeToFloat(byte[] src, int channels, int srcH, int srcW, int dstH, int dstW) {
    Axis horizontal = Axis.of(srcW, dstW);
    Axis vertical = Axis.of(srcH, dstH);
    float[] rows = new float[channels * srcH * dstW];
    for (int c = 0; c < channels; c++) {
      int srcPlane = c * srcH * srcW;
      int tmpPlane = c * srcH * dstW;
      for (int y = 0; y < srcH; y++) {
        int srcRow = srcPlane + y * srcW;
        int tmpRow = tmpPlane + y * dstW;
        for (int x = 0; x < dstW; x++) {
          int first = horizontal.first[x];
          float[] w = horizontal.weights[x];
          float sum = 0;
          for (int k = 0; k < w.length; k++) {
            sum += w[k] * (src[srcRow + first + k] & 0xff);
          }
          rows[tmpRow + x] = sum;
        }
      }
    }
    float[] out = new float[channels * dstH * dstW];
    for (int c = 0; c < channels; c++) {
      int tmpPlane = c * srcH * dstW;
      int outPlane = c * dstH * dstW;
      for (int y = 0; y < dstH; y++) {
        int first = vertical.first[y];
        float[] w = vertical.weights[y];
        int outRow = outPlane + y * dstW;
        for (int k = 0; k < w.length; k++) {
          float wk = w[k];
          int tmpRow = tmpPlane + (first + k) * dstW;
          for (int x = 0; x < dstW; x++) {
            out[outRow + x] += wk * rows[tmpRow + x];
          }
        }
      }
    }
    return out;
  }

  static byte toByte(float value) {
    int v = Math.round(value);
    return (byte) (v < 0 ? 0 : Math.min(v, 255));
  }

  /** The source samples and weights that make up each output sample along one axis. */
  private static final class Axis {
    final int[] first;
    final float[][] weights;

    private Axis(int[] first, float[][] weights) {
      this.first = first;
      this.weights = weights;
    }

    /** Axes already computed, by (source, target) size: a dataset has a few sizes. */
    private static final java.util.concurrent.ConcurrentHashMap<Long, Axis> KNOWN =
        new java.util.concurrent.ConcurrentHashMap<>();

    static Axis of(int src, int dst) {
      Long key = ((long) src << 32) | dst;
      Axis known = KNOWN.get(key);
      if (known != null) {
        return known;
      }
      Axis axis = compute(src, dst);
      if (KNOWN.size() < 4096) {
        KNOWN.putIfAbsent(key, axis);
      }
      return axis;
    }

    private static Axis compute(int src, int dst) {
      int[] first = new int[dst];
      float[][] weights = new float[dst][];
      if (src == dst) {
        for (int i = 0; i < dst; i++) {
          first[i] = i;
          weights[i] = new float[] {1f};
        }
      } else if (dst < src) {
        double scale = (double) src / dst;
        for (int i = 0; i < dst; i++) {
          double start = i * scale;
          double end = (i + 1) * scale;
          int lo = (int) Math.floor(start);
          int hi = Math.min(src, (int) Math.ceil(end));
          float[] w = new float[hi - lo];
          for (int s = lo; s < hi; s++) {
            double overlap = Math.min(end, s + 1) - Math.max(start, s);
            w[s - lo] = (float) (Math.max(0, overlap) / scale);
          }
          first[i] = lo;
          weights[i] = w;
        }
      } else {
        double scale = (double) src / dst;
        for (int i = 0; i < dst; i++) {
          double centre = (i + 0.5) * scale - 0.5;
          centre = Math.max(0, Math.min(src - 1, centre));
          int lo = (int) Math.floor(centre);
          if (lo >= src - 1) {
            first[i] = src - 1;
            weights[i] = new float[] {1f};
          } else {
            float frac = (float) (centre - lo);
            first[i] = lo;
            weights[i] = new float[] {1f - frac, frac};
          }
        }
      }
      return new Axis(first, weights);
    }
  }
}
