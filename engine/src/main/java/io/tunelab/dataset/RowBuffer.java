package io.tunelab.dataset;

import io.tunelab.table.RowOrigins;
import io.tunelab.table.TableRows;
import java.util.Arrays;
import java.util.List;

/**
 * The encoded rows of one CSV file as they are read: values, labels and source lines in growing
 * primitive arrays, so that a file of millions of rows costs about its encoded size (4 bytes per
 * feature, 8 per row) and no object per row.
 */
final class RowBuffer {
  private final String file;
  private final int features;
  private float[] values;
  private int[] labels;
  private int[] lines;
  private int size;

  RowBuffer(String file, int features) {
    this.file = file;
    this.features = features;
    this.values = new float[features * 1024];
    this.labels = new int[1024];
    this.lines = new int[1024];
  }

  /** Appends a row; {@code row} is copied. */
  void add(float[] row, int label, int line) {
    if (size == labels.length) {
      int grown = Math.max(16, size + (size >> 1));
      values = Arrays.copyOf(values, Math.multiplyExact(grown, features));
      labels = Arrays.copyOf(labels, grown);
      lines = Arrays.copyOf(lines, grown);
    }
    System.arraycopy(row, 0, values, size * features, features);
    labels[size] = label;
    lines[size] = line;
    size++;
  }

  String file() {
    return file;
  }

  int size() {
    return size;
  }

  int label(int i) {
    return labels[i];
  }

  int line(int i) {
    return lines[i];
  }

  /** A hash of row {@code i}'s feature values (not its label). */
  long hash(int i) {
    long h = 1125899906842597L;
    for (int j = i * features; j < (i + 1) * features; j++) {
      h = 31 * h + Float.floatToIntBits(values[j]);
    }
    return h ^ (h >>> 29);
  }

  /** Whether rows {@code i} of this buffer and {@code k} of {@code other} hold the same values. */
  boolean sameValues(int i, RowBuffer other, int k) {
    return Arrays.equals(
        values, i * features, (i + 1) * features, other.values, k * features, (k + 1) * features);
  }

  /** The rows at {@code indices} (in that order) as one split. */
  TableRows select(List<String> featureNames, int[] indices) {
    float[] v = new float[Math.multiplyExact(indices.length, features)];
    int[] l = new int[indices.length];
    int[] ln = new int[indices.length];
    for (int n = 0; n < indices.length; n++) {
      int i = indices[n];
      System.arraycopy(values, i * features, v, n * features, features);
      l[n] = labels[i];
      ln[n] = lines[i];
    }
    return new TableRows(featureNames, v, l, new RowOrigins(file, ln));
  }
}
