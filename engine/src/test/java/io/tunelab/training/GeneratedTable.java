package io.tunelab.training;

import io.tunelab.table.TableRows;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Tables with a known rule for the mlp tests: {@code features} columns on different scales and
 * offsets (so that standardisation matters), of which the first three decide the class and the rest
 * are noise.
 */
final class GeneratedTable {
  private GeneratedTable() {}

  /**
   * {@code n} rows: with two classes the label is {@code z0 + z1 - z2 > 0}; with three, which of
   * {@code z0}, {@code z1}, {@code z2} is largest (z the standard normal draws before scaling).
   */
  static TableRows rows(int n, int features, int classes, long seed) {
    Random random = new Random(seed);
    List<String> names = new ArrayList<>();
    for (int j = 0; j < features; j++) {
      names.add("f" + j);
    }
    float[] values = new float[n * features];
    int[] labels = new int[n];
    List<String> origins = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      double[] z = new double[features];
      for (int j = 0; j < features; j++) {
        z[j] = random.nextGaussian();
        values[i * features + j] = (float) (z[j] * (1 + 10 * j) + 100 * j);
      }
      if (classes == 2) {
        labels[i] = z[0] + z[1] - z[2] > 0 ? 1 : 0;
      } else {
        labels[i] = z[0] >= z[1] && z[0] >= z[2] ? 0 : z[1] >= z[2] ? 1 : 2;
      }
      origins.add("gen.csv:" + (i + 2));
    }
    return new TableRows(names, values, labels, origins);
  }
}
