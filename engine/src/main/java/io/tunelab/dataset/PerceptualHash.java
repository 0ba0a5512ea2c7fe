package io.tunelab.dataset;

/**
 * The difference hash (dHash) of an image: its grey version shrunk to 9 columns by 8 rows, one bit
 * per horizontally adjacent pair telling whether the left pixel is brighter than the right. Images
 * that look alike have hashes a small Hamming distance apart, whatever their size or file format.
 */
final class PerceptualHash {
  private PerceptualHash() {}

  /** The 64-bit dHash of a grey plane of {@code height * width} bytes. */
  static long dHash(byte[] grey, int height, int width) {
    float[] thumb = Resampler.resizeToFloat(grey, 1, height, width, 8, 9);
    long hash = 0;
    for (int y = 0; y < 8; y++) {
      for (int x = 0; x < 8; x++) {
        hash <<= 1;
        if (thumb[y * 9 + x] > thumb[y * 9 + x + 1] + 1e-3f) {
          hash |= 1;
        }
      }
    }
    return hash;
  }

  /** The number of bits in which two hashes differ. */
  static int distance(long a, long b) {
    return Long.bitCount(a ^ b);
  }
}
