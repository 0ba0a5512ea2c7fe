package io.tunelab.dataset;

import java.util.List;
import java.util.Map;

/**
 * What a table ingest adds to the {@link DatasetProfile} (its {@code table} field, absent for
 * images): the columns and how they were encoded, and per-feature statistics per split that the
 * report's data section shows.
 *
 * @param files the source CSV files
 * @param label the class column
 * @param ignoredColumns the columns dropped by {@code --ignore-columns}
 * @param features the encoded feature names, in the order of a row's values
 * @param oneHot each text column encoded one-hot, with its categories in feature order
 * @param rows split name to the number of rows
 * @param statistics split name to feature name to its statistics (before standardisation)
 * @param missing source file to column to the rows rejected for a missing value there
 */
public record TableStats(
    List<String> files,
    String label,
    List<String> ignoredColumns,
    List<String> features,
    Map<String, List<String>> oneHot,
    Map<String, Integer> rows,
    Map<String, Map<String, FeatureStats>> statistics,
    Map<String, Map<String, Integer>> missing) {}
