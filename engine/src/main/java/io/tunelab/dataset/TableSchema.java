package io.tunelab.dataset;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a table's columns become: the class column, the classes, and each feature column, numeric or
 * text; a text column is encoded one-hot, one feature {@code col=value} per category.
 *
 * @param label the class column
 * @param ignored the columns dropped by {@code --ignore-columns}
 * @param classes the class values, sorted (numerically when they are all numbers)
 * @param columns the feature columns in header order
 */
record TableSchema(String label, List<String> ignored, List<String> classes, List<Column> columns) {

  /**
   * One feature column.
   *
   * @param name its header name
   * @param categories the sorted categories of a text column; empty for a numeric column
   */
  record Column(String name, List<String> categories) {
    boolean numeric() {
      return categories.isEmpty();
    }
  }

  TableSchema {
    ignored = List.copyOf(ignored);
    classes = List.copyOf(classes);
    columns = List.copyOf(columns);
  }

  /** The encoded feature names: {@code col} for a numeric column, {@code col=value} one-hot. */
  List<String> featureNames() {
    List<String> names = new ArrayList<>();
    for (Column c : columns) {
      if (c.numeric()) {
        names.add(c.name());
      } else {
        c.categories().forEach(v -> names.add(c.name() + "=" + v));
      }
    }
    return names;
  }

  /** The one-hot columns with their categories, in header order. */
  Map<String, List<String>> oneHot() {
    Map<String, List<String>> oneHot = new LinkedHashMap<>();
    columns.stream().filter(c -> !c.numeric()).forEach(c -> oneHot.put(c.name(), c.categories()));
    return oneHot;
  }
}
