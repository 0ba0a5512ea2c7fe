package io.tunelab.dataset;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * How a table's columns differ from the ones expected (train.csv's, or a pretrained model's), in
 * their order, for the messages that refuse it.
 *
 * @param missing expected columns the table lacks
 * @param extra the table's columns that are not expected
 */
record ColumnDifference(Set<String> missing, Set<String> extra) {
  static ColumnDifference of(List<String> expected, List<String> actual) {
    Set<String> missing = new LinkedHashSet<>(expected);
    missing.removeAll(actual);
    Set<String> extra = new LinkedHashSet<>(actual);
    extra.removeAll(expected);
    return new ColumnDifference(missing, extra);
  }

  /** Whether the same names appear on both sides (perhaps in another order). */
  boolean sameNames() {
    return missing.isEmpty() && extra.isEmpty();
  }
}
