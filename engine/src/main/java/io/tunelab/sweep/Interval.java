package io.tunelab.sweep;

import java.util.Arrays;
import org.apache.commons.math3.distribution.TDistribution;

/**
 * The mean of a metric over a config's seeds with a 95% interval of that mean from Student's t
 * distribution (few seeds: the normal approximation would be far too narrow). With one value the
 * interval is unknown and {@code low = high = mean}; with none every number is NaN.
 *
 * @param n how many values
 * @param mean their mean
 * @param sd their sample standard deviation (n − 1 in the denominator), NaN below two values
 * @param low the interval's lower end
 * @param high the interval's upper end
 */
public record Interval(int n, double mean, double sd, double low, double high) {
  /** The confidence level of the interval. */
  public static final double LEVEL = 0.95;

  /** The interval of no values. */
  public static final Interval EMPTY =
      new Interval(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);

  /** The mean and interval of the finite values among {@code values}. */
  public static Interval of(double... values) {
    double[] v = Arrays.stream(values).filter(Double::isFinite).toArray();
    int n = v.length;
    if (n == 0) {
      return EMPTY;
    }
    double mean = Arrays.stream(v).average().orElseThrow();
    if (n == 1) {
      return new Interval(1, mean, Double.NaN, mean, mean);
    }
    double sd = sd(v, mean);
    double half = criticalT(n - 1) * sd / Math.sqrt(n);
    return new Interval(n, mean, sd, mean - half, mean + half);
  }

  /**
   * The interval cut to the range the metric can take (an accuracy to [0, 1], a loss to [0, ∞)):
   * with few seeds Student's t reaches far, and no value beyond the range is possible.
   */
  public Interval within(double min, double max) {
    return new Interval(n, mean, sd, Math.max(min, low), Math.min(max, high));
  }

  /** Whether the interval is known: at least two values. */
  public boolean known() {
    return n >= 2;
  }

  /** The two-sided 97.5% quantile of Student's t with {@code dof} degrees of freedom. */
  static double criticalT(int dof) {
    return new TDistribution(dof).inverseCumulativeProbability(1 - (1 - LEVEL) / 2);
  }

  /** The sample standard deviation of values around their mean. */
  static double sd(double[] v, double mean) {
    double ss = 0;
    for (double x : v) {
      ss += (x - mean) * (x - mean);
    }
    return Math.sqrt(ss / (v.length - 1));
  }
}
