package io.tunelab.table;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One split of a table after encoding: each row's feature values (numeric columns as read, text
 * columns one-hot), its class label and where it came from. The values are row-major, {@link
 * #features()} per row, not yet standardised ({@link FeatureScaler} does that with the training
 * split's statistics).
 *
 * @param featureNames the encoded feature names in column order ({@code col} for a numeric column,
 *     {@code col=value} for each category of a one-hot text column)
 * @param values row-major feature values, {@code labels.length * featureNames.size()} of them
 * @param labels each row's class index (into the dataset's sorted class names)
 * @param origins each row's source, {@code FILE.csv:LINE}
 */
public record TableRows(
    List<String> featureNames, float[] values, int[] labels, List<String> origins) {

  /** Validates that values, labels and origins describe the same rows. */
  public TableRows {
    featureNames = List.copyOf(Objects.requireNonNull(featureNames, "featureNames"));
    Objects.requireNonNull(values, "values");
    Objects.requireNonNull(labels, "labels");
    Objects.requireNonNull(origins, "origins");
    origins = origins instanceof RowOrigins ? origins : List.copyOf(origins);
    if (featureNames.isEmpty()) {
      throw new IllegalArgumentException("a table needs at least one feature");
    }
    if ((long) labels.length * featureNames.size() != values.length) {
      throw new IllegalArgumentException(
          "values must hold rows x features = "
              + labels.length
              + " x "
              + featureNames.size()
              + " numbers: "
              + values.length);
    }
    if (origins.size() != labels.length) {
      throw new IllegalArgumentException(
          "one origin per row: " + origins.size() + " origins for " + labels.length + " rows");
    }
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] < 0) {
        throw new IllegalArgumentException("labels must be >= 0: row " + i + " has " + labels[i]);
      }
    }
  }

  /** An empty split with these features. */
  public static TableRows empty(List<String> featureNames) {
    return new TableRows(featureNames, new float[0], new int[0], List.of());
  }

  /** The number of rows. */
  public int size() {
    return labels.length;
  }

  /** The number of (encoded) features per row. */
  public int features() {
    return featureNames.size();
  }

  /** A copy of row {@code i}'s feature values. */
  public float[] row(int i) {
    Objects.checkIndex(i, labels.length);
    int f = featureNames.size();
    return Arrays.copyOfRange(values, i * f, (i + 1) * f);
  }
}
