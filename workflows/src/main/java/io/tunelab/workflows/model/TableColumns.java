package io.tunelab.workflows.model;

import java.util.List;

/**
 * Which columns of a table source a run reads: {@code --label COLUMN} names the class column
 * ({@code null}: a column named label, target or class, else the last), {@code --ignore-columns
 * a,b} drops columns such as ids. Image sources ignore it.
 *
 * @param label the class column, or {@code null} for the default
 * @param ignore the columns to drop
 */
public record TableColumns(String label, List<String> ignore) {
  /** The default: the default class column, nothing dropped. */
  public static final TableColumns DEFAULT = new TableColumns(null, List.of());

  public TableColumns {
    label = label == null || label.isBlank() ? null : label.trim();
    ignore =
        ignore == null
            ? List.of()
            : ignore.stream().map(String::trim).filter(c -> !c.isEmpty()).toList();
    if (label != null && ignore.contains(label)) {
      throw new IllegalArgumentException("the label column cannot also be ignored: " + label);
    }
  }

  /** The columns of a spec, {@code DEFAULT} for one written before tables (null). */
  public static TableColumns of(TableColumns columns) {
    return columns == null ? DEFAULT : columns;
  }
}
