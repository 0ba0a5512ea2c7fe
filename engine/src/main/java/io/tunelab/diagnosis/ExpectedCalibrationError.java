package io.tunelab.diagnosis;

import java.util.ArrayList;
import java.util.List;

/**
 * Expected calibration error with 15 equal-width confidence bins {@code (k/15, (k+1)/15]} (a
 * confidence of exactly 0 goes to the first bin): the image-weighted mean of |accuracy − mean
 * confidence| over the bins.
 */
public final class ExpectedCalibrationError {
  /** The number of bins. */
  public static final int BINS = 15;

  private ExpectedCalibrationError() {}

  /**
   * ECE with the overall accuracy and mean confidence it is made of.
   *
   * @param ece expected calibration error in [0, 1]
   * @param accuracy fraction of images predicted right
   * @param meanConfidence mean probability of the predicted class
   */
  public record Result(double ece, double accuracy, double meanConfidence) {}

  /** The calibration of one epoch's validation predictions. */
  public static Result of(EpochPredictions p) {
    return of(p.labels(), p.predicted(), p.confidence());
  }

  /** The calibration of predictions given as arrays of equal length. */
  public static Result of(int[] labels, int[] predicted, float[] confidence) {
    int n = labels.length;
    if (n == 0 || predicted.length != n || confidence.length != n) {
      throw new IllegalArgumentException("need equally long, non-empty arrays");
    }
    double[] conf = new double[BINS];
    double[] right = new double[BINS];
    double totalConf = 0;
    double totalRight = 0;
    for (int i = 0; i < n; i++) {
      double c = confidence[i];
      int bin = bin(c);
      double correct = labels[i] == predicted[i] ? 1 : 0;
      conf[bin] += c;
      right[bin] += correct;
      totalConf += c;
      totalRight += correct;
    }
    double ece = 0;
    for (int b = 0; b < BINS; b++) {
      ece += Math.abs(right[b] - conf[b]);
    }
    return new Result(ece / n, totalRight / n, totalConf / n);
  }

  /**
   * ECE of the images at {@code sample} (indices into {@code p}, repeats allowed): what a bootstrap
   * resample of the validation images would measure, without copying them.
   */
  static double ece(EpochPredictions p, int[] sample) {
    double[] conf = new double[BINS];
    double[] right = new double[BINS];
    for (int i : sample) {
      double c = p.confidence()[i];
      int bin = bin(c);
      conf[bin] += c;
      right[bin] += p.labels()[i] == p.predicted()[i] ? 1 : 0;
    }
    double ece = 0;
    for (int b = 0; b < BINS; b++) {
      ece += Math.abs(right[b] - conf[b]);
    }
    return ece / sample.length;
  }

  /**
   * One confidence bin of a reliability diagram.
   *
   * @param low the bin's lower edge (exclusive, except for the first bin)
   * @param high the bin's upper edge (inclusive)
   * @param count images whose confidence falls into the bin
   * @param meanConfidence their mean confidence, or NaN when the bin is empty
   * @param accuracy the fraction of them predicted right, or NaN when the bin is empty
   */
  public record Bin(double low, double high, int count, double meanConfidence, double accuracy) {}

  /**
   * The {@value #BINS} bins that {@link #of(EpochPredictions)} sums over, in confidence order,
   * empty ones included: the points of a reliability diagram.
   */
  public static List<Bin> bins(EpochPredictions p) {
    int n = p.size();
    double[] conf = new double[BINS];
    int[] right = new int[BINS];
    int[] count = new int[BINS];
    for (int i = 0; i < n; i++) {
      double c = p.confidence()[i];
      int bin = bin(c);
      conf[bin] += c;
      count[bin]++;
      right[bin] += p.labels()[i] == p.predicted()[i] ? 1 : 0;
    }
    List<Bin> bins = new ArrayList<>(BINS);
    for (int b = 0; b < BINS; b++) {
      bins.add(
          new Bin(
              b / (double) BINS,
              (b + 1) / (double) BINS,
              count[b],
              count[b] == 0 ? Double.NaN : conf[b] / count[b],
              count[b] == 0 ? Double.NaN : right[b] / (double) count[b]));
    }
    return List.copyOf(bins);
  }

  /**
   * The bin of a confidence: {@code ceil(c * 15) - 1}, clamped to the bins; a confidence within
   * 1e-6 above a boundary (float rounding) stays in the lower bin.
   */
  static int bin(double confidence) {
    if (!(confidence > 0)) {
      return 0;
    }
    int b = (int) Math.ceil(confidence * BINS - 1e-6) - 1;
    return Math.max(0, Math.min(BINS - 1, b));
  }
}
