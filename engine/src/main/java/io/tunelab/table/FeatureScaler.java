package io.tunelab.table;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Standardises features the way practitioners do: each feature minus the training split's mean,
 * divided by its standard deviation (population, as scikit-learn's {@code StandardScaler}). It is
 * fitted on the training split only, so nothing of val or test leaks into the transform, and stored
 * as JSON ({@code Keys.scaler}) so that training, evaluation and a registered model apply the same
 * one. A constant column gets a deviation of 1 (it is only centred).
 *
 * @param featureNames the features, in the order of a row's values
 * @param mean each feature's training mean
 * @param sd each feature's training standard deviation, > 0
 */
public record FeatureScaler(List<String> featureNames, double[] mean, double[] sd) {

  /** Validates that there is one mean and one positive deviation per feature. */
  public FeatureScaler {
    featureNames = List.copyOf(Objects.requireNonNull(featureNames, "featureNames"));
    Objects.requireNonNull(mean, "mean");
    Objects.requireNonNull(sd, "sd");
    if (mean.length != featureNames.size() || sd.length != featureNames.size()) {
      throw new IllegalArgumentException(
          "one mean and sd per feature: "
              + featureNames.size()
              + " features, "
              + mean.length
              + " means, "
              + sd.length
              + " sds");
    }
    for (int j = 0; j < sd.length; j++) {
      if (!(sd[j] > 0) || !Double.isFinite(sd[j]) || !Double.isFinite(mean[j])) {
        throw new IllegalArgumentException(
            "feature " + featureNames.get(j) + " needs a finite mean and sd > 0: " + sd[j]);
      }
    }
  }

  /**
   * The scaler of a training split: each feature's mean and population standard deviation.
   *
   * @throws IllegalArgumentException when the split has no rows
   */
  public static FeatureScaler fit(TableRows train) {
    int n = train.size();
    int f = train.features();
    if (n == 0) {
      throw new IllegalArgumentException("cannot fit a scaler on an empty training split");
    }
    float[] v = train.values();
    double[] mean = new double[f];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < f; j++) {
        mean[j] += v[i * f + j];
      }
    }
    for (int j = 0; j < f; j++) {
      mean[j] /= n;
    }
    double[] sd = new double[f];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < f; j++) {
        double d = v[i * f + j] - mean[j];
        sd[j] += d * d;
      }
    }
    for (int j = 0; j < f; j++) {
      sd[j] = Math.sqrt(sd[j] / n);
      if (!(sd[j] > 1e-12)) {
        sd[j] = 1;
      }
    }
    return new FeatureScaler(train.featureNames(), mean, sd);
  }

  /**
   * The rows' values standardised, row-major (a copy; the rows are left as they are).
   *
   * @throws IllegalArgumentException when the rows have other features than the scaler
   */
  public float[] apply(TableRows rows) {
    if (!rows.featureNames().equals(featureNames)) {
      throw new IllegalArgumentException(
          "the rows' features "
              + rows.featureNames()
              + " differ from the scaler's "
              + featureNames);
    }
    int f = featureNames.size();
    float[] v = rows.values();
    float[] out = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      int j = i % f;
      out[i] = (float) ((v[i] - mean[j]) / sd[j]);
    }
    return out;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FeatureScaler s
        && featureNames.equals(s.featureNames)
        && Arrays.equals(mean, s.mean)
        && Arrays.equals(sd, s.sd);
  }

  @Override
  public int hashCode() {
    return Objects.hash(featureNames, Arrays.hashCode(mean), Arrays.hashCode(sd));
  }

  @Override
  public String toString() {
    return "FeatureScaler"
        + featureNames
        + " mean "
        + Arrays.toString(mean)
        + " sd "
        + Arrays.toString(sd);
  }
}
