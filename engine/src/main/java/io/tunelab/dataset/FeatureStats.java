package io.tunelab.dataset;

import io.tunelab.table.TableRows;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One encoded feature's statistics over one split's rows, before standardisation, rounded to 6
 * significant digits for the profile and the report.
 *
 * @param mean the mean
 * @param sd the population standard deviation
 * @param min the smallest value
 * @param max the largest value
 * @param missing rows of this split's own file rejected because this feature's column had no value
 *     ({@code null} when the split has no file of its own: a single CSV, or test carved from train)
 */
public record FeatureStats(double mean, double sd, double min, double max, Integer missing) {

  /**
   * Each feature's statistics over the rows, by feature name; {@code missing} gives the missing
   * count of a source column ({@code null}: the split has no file of its own).
   */
  static Map<String, FeatureStats> of(
      TableRows rows, List<String> sourceColumns, Map<String, Integer> missing) {
    int n = rows.size();
    int f = rows.features();
    float[] v = rows.values();
    Map<String, FeatureStats> stats = new LinkedHashMap<>();
    for (int j = 0; j < f; j++) {
      double sum = 0;
      double min = Double.POSITIVE_INFINITY;
      double max = Double.NEGATIVE_INFINITY;
      for (int i = 0; i < n; i++) {
        double x = v[i * f + j];
        sum += x;
        min = Math.min(min, x);
        max = Math.max(max, x);
      }
      double mean = n == 0 ? 0 : sum / n;
      double ss = 0;
      for (int i = 0; i < n; i++) {
        double d = v[i * f + j] - mean;
        ss += d * d;
      }
      Integer miss = missing == null ? null : missing.getOrDefault(sourceColumns.get(j), 0);
      stats.put(
          rows.featureNames().get(j),
          new FeatureStats(
              round(mean),
              round(n == 0 ? 0 : Math.sqrt(ss / n)),
              n == 0 ? 0 : round(min),
              n == 0 ? 0 : round(max),
              miss));
    }
    return stats;
  }

  private static double round(double x) {
    if (x == 0 || !Double.isFinite(x)) {
      return x;
    }
    return new java.math.BigDecimal(x).round(new java.math.MathContext(6)).doubleValue();
  }
}
