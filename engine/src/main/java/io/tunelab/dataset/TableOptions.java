package io.tunelab.dataset;

import io.tunelab.workflows.model.IngestRequest;
import java.util.List;

/**
 * How to ingest a table: which column holds the class, which columns to drop, the split seed and
 * the cap on training rows per class.
 *
 * @param label the class column, or {@code null} for the default (a column named {@code label},
 *     {@code target} or {@code class}, else the last column)
 * @param ignoreColumns columns dropped before encoding (ids, free text)
 * @param seed seed of the stratified split and of the test split carved out of train
 * @param perClass cap on training rows per class; 0 keeps all
 */
public record TableOptions(String label, List<String> ignoreColumns, long seed, int perClass) {

  /** Validates the options and copies the column list. */
  public TableOptions {
    label = label == null || label.isBlank() ? null : label.trim();
    ignoreColumns =
        ignoreColumns == null
            ? List.of()
            : ignoreColumns.stream().map(String::trim).filter(c -> !c.isEmpty()).toList();
    if (perClass < 0) {
      throw new IllegalArgumentException("per-class must be >= 0: " + perClass);
    }
  }

  /** Takes the options of a workflow's ingest request. */
  public static TableOptions from(IngestRequest request) {
    return new TableOptions(
        request.label(), request.ignoreColumns(), request.seed(), request.perClass());
  }

  /** The default label column, no column dropped, no cap. */
  public static TableOptions of(long seed) {
    return new TableOptions(null, List.of(), seed, 0);
  }
}
