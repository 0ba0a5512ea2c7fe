package io.tunelab.dataset;

import java.util.ArrayList;
import java.util.List;

/**
 * Pixel statistics of one split as stored (after resizing and channel conversion), in byte units
 * from 0 to 255.
 *
 * @param mean mean over every value of every channel
 * @param std standard deviation over every value of every channel
 * @param channelMeans mean per channel, in channel order
 * @param channelStds standard deviation per channel, in channel order
 * @param histogram 16 bins of width 16 over every value of every channel (bin = value / 16)
 */
public record PixelStats(
    double mean,
    double std,
    List<Double> channelMeans,
    List<Double> channelStds,
    List<Long> histogram) {

  /** The number of histogram bins. */
  public static final int BINS = 16;

  /**
   * Computes the statistics of packed CHW images; an empty split gives zeros.
   *
   * @param pixels packed images
   * @param channels channels per image
   * @param planeSize height times width
   */
  static PixelStats of(byte[] pixels, int channels, int planeSize) {
    int imageSize = channels * planeSize;
    int images = pixels.length / imageSize;
    long perChannel = (long) images * planeSize;
    long[] bins = new long[BINS];
    List<Double> means = new ArrayList<>();
    List<Double> stds = new ArrayList<>();
    double total = 0;
    double totalSq = 0;
    for (int c = 0; c < channels; c++) {
      long[] tally = new long[256];
      for (int img = 0; img < images; img++) {
        int from = img * imageSize + c * planeSize;
        for (int i = from; i < from + planeSize; i++) {
          tally[pixels[i] & 0xff]++;
        }
      }
      double sum = 0;
      double sumSq = 0;
      for (int v = 0; v < 256; v++) {
        sum += (double) v * tally[v];
        sumSq += (double) v * v * tally[v];
        bins[v >> 4] += tally[v];
      }
      double m = perChannel == 0 ? 0 : sum / perChannel;
      double variance = perChannel == 0 ? 0 : Math.max(0, sumSq / perChannel - m * m);
      means.add(round(m));
      stds.add(round(Math.sqrt(variance)));
      total += sum;
      totalSq += sumSq;
    }
    long n = perChannel * channels;
    double mean = n == 0 ? 0 : total / n;
    double std = n == 0 ? 0 : Math.sqrt(Math.max(0, totalSq / n - mean * mean));
    List<Long> histogram = new ArrayList<>();
    for (long b : bins) {
      histogram.add(b);
    }
    return new PixelStats(
        round(mean), round(std), List.copyOf(means), List.copyOf(stds), List.copyOf(histogram));
  }

  private static double round(double v) {
    return Math.round(v * 1e6) / 1e6;
  }
}
