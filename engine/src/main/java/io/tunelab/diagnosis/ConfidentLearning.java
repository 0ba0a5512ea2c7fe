package io.tunelab.diagnosis;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Label-error estimation in the confident-learning style (Northcutt et al., 2021) from
 * out-of-sample class probabilities.
 *
 * <ol>
 *   <li>Per-class threshold {@code t_j}: the mean out-of-sample probability of class {@code j} over
 *       the images labelled {@code j} (the class's self-confidence).
 *   <li>An image labelled {@code y} is a suspect when some other class {@code j} has {@code p_j >=
 *       t_j} and {@code p_j > p_y}; its suspected class is the most probable such {@code j}. An
 *       image with some class at or above its threshold and no such {@code j} is a confident,
 *       consistent image.
 *   <li>The confident joint {@code C[y][j]} counts those images (suspects off the diagonal); each
 *       row is rescaled to the number of images labelled {@code y} (calibration), and the estimated
 *       noise fraction is the off-diagonal mass of the calibrated joint.
 * </ol>
 *
 * Plain misclassifications are not label errors: only confident disagreements count, which is why
 * the estimate stays well below the error rate on clean data.
 */
public final class ConfidentLearning {
  private ConfidentLearning() {}

  /** An image whose given label looks wrong. */
  public record Suspect(
      int index, int given, int suspected, double givenProbability, double suspectedProbability) {}

  /**
   * The analysis.
   *
   * @param images images analysed
   * @param thresholds per-class self-confidence thresholds (+∞ for a class with no images)
   * @param confidentJoint given label × confidently-assigned label counts
   * @param flaggedFraction off-diagonal mass of the confident joint: suspects over images
   * @param estimatedNoiseFraction off-diagonal mass of the row-calibrated confident joint
   * @param errorRate fraction of images whose most probable class is not the given label
   * @param suspects every suspect, most confident disagreement first
   */
  public record Result(
      int images,
      double[] thresholds,
      long[][] confidentJoint,
      double flaggedFraction,
      double estimatedNoiseFraction,
      double errorRate,
      List<Suspect> suspects) {}

  /** Analyses out-of-sample predictions over {@code classes} classes. */
  public static Result analyse(OutOfSamplePredictions oos, int classes) {
    int k = classes;
    for (float[] row : oos.probabilities()) {
      k = Math.max(k, row.length);
    }
    int n = oos.labels().length;
    double[] sum = new double[k];
    long[] count = new long[k];
    for (int i = 0; i < n; i++) {
      int y = oos.labels()[i];
      if (y >= 0 && y < k) {
        sum[y] += prob(oos.probabilities()[i], y);
        count[y]++;
      }
    }
    double[] thresholds = new double[k];
    for (int j = 0; j < k; j++) {
      thresholds[j] = count[j] == 0 ? Double.POSITIVE_INFINITY : sum[j] / count[j];
    }
    long[][] joint = new long[k][k];
    List<Suspect> suspects = new ArrayList<>();
    int valid = 0;
    int errors = 0;
    for (int i = 0; i < n; i++) {
      int y = oos.labels()[i];
      if (y < 0 || y >= k) {
        continue;
      }
      valid++;
      float[] p = oos.probabilities()[i];
      if (mostProbable(p, k) != y) {
        errors++;
      }
      double py = prob(p, y);
      int suspected = -1;
      boolean confident = py >= thresholds[y];
      for (int j = 0; j < k; j++) {
        double pj = prob(p, j);
        if (pj >= thresholds[j]) {
          confident = true;
          if (j != y && pj > py && (suspected < 0 || pj > prob(p, suspected))) {
            suspected = j;
          }
        }
      }
      if (suspected >= 0) {
        joint[y][suspected]++;
        suspects.add(new Suspect(i, y, suspected, py, prob(p, suspected)));
      } else if (confident) {
        joint[y][y]++;
      }
    }
    double off = 0;
    for (int y = 0; y < k; y++) {
      long row = 0;
      for (int j = 0; j < k; j++) {
        row += joint[y][j];
      }
      if (row == 0) {
        continue;
      }
      for (int j = 0; j < k; j++) {
        if (j != y) {
          off += joint[y][j] / (double) row * count[y];
        }
      }
    }
    suspects.sort(
        Comparator.comparingDouble(
                (Suspect s) -> -(s.suspectedProbability() - s.givenProbability()))
            .thenComparingInt(Suspect::index));
    return new Result(
        valid,
        thresholds,
        joint,
        valid == 0 ? 0 : suspects.size() / (double) valid,
        valid == 0 ? 0 : off / valid,
        valid == 0 ? 0 : errors / (double) valid,
        List.copyOf(suspects));
  }

  /**
   * The class sizes the analysis puts on the training images' true classes: each given label's
   * images spread over the classes as that label's row of the confident joint spreads (a label with
   * no confident image keeps its own). With the labels found noisy, this is what the data holds of
   * each class, where the given counts are what the labels say.
   */
  public static double[] estimatedTrueCounts(OutOfSamplePredictions oos, Result r) {
    int k = r.confidentJoint().length;
    double[] given = new double[k];
    for (int y : oos.labels()) {
      if (y >= 0 && y < k) {
        given[y]++;
      }
    }
    double[] estimated = new double[k];
    for (int y = 0; y < k; y++) {
      long row = 0;
      for (long c : r.confidentJoint()[y]) {
        row += c;
      }
      if (row == 0) {
        estimated[y] += given[y];
        continue;
      }
      for (int j = 0; j < k; j++) {
        estimated[j] += given[y] * r.confidentJoint()[y][j] / row;
      }
    }
    return estimated;
  }

  /**
   * How many images the held-out models put in each of {@code k} classes, by their most probable
   * class (classify and count): a second estimate of the true class sizes, which a class whose
   * label is mostly flips cannot inflate the way it inflates the joint's column (see {@code
   * class-imbalance}).
   */
  public static double[] predictedCounts(OutOfSamplePredictions oos, int k) {
    double[] counts = new double[k];
    for (float[] p : oos.probabilities()) {
      counts[mostProbable(p, k)]++;
    }
    return counts;
  }

  /** The most probable of the first {@code k} classes of a row (the first on ties). */
  private static int mostProbable(float[] row, int k) {
    int best = 0;
    for (int j = 1; j < k; j++) {
      if (prob(row, j) > prob(row, best)) {
        best = j;
      }
    }
    return best;
  }

  private static double prob(float[] row, int j) {
    if (j >= row.length) {
      return 0;
    }
    float v = row[j];
    return Float.isFinite(v) ? v : 0;
  }
}
