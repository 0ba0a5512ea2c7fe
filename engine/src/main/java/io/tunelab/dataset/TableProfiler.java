package io.tunelab.dataset;

import io.tunelab.dataset.TableSchema.Column;
import io.tunelab.table.TableRows;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Makes a table ingest's {@link DatasetProfile}: class counts per split, balance, rejected rows,
 * duplicate rows across splits and the {@link TableStats} (encoding and per-feature statistics per
 * split). The image-only parts (pixels, sizes, colours, near-duplicates) are empty.
 */
final class TableProfiler {
  private TableProfiler() {}

  static DatasetProfile profile(
      TableFiles files,
      TableSchema schema,
      int[] readPerClass,
      Map<String, TableRows> splits,
      List<RejectedFile> rejected,
      Map<String, Map<String, Integer>> missing) {
    List<String> classes = schema.classes();
    Map<String, Map<String, Integer>> counts = new LinkedHashMap<>();
    Map<String, Integer> rows = new LinkedHashMap<>();
    Map<String, Map<String, FeatureStats>> statistics = new LinkedHashMap<>();
    List<String> sourceColumns = sourceColumns(schema);
    int s = 0;
    for (Map.Entry<String, TableRows> split : splits.entrySet()) {
      Map<String, Integer> perClass = new LinkedHashMap<>();
      classes.forEach(c -> perClass.put(c, 0));
      for (int label : split.getValue().labels()) {
        perClass.merge(classes.get(label), 1, Integer::sum);
      }
      counts.put(split.getKey(), perClass);
      rows.put(split.getKey(), split.getValue().size());
      boolean own = files.splitLayout() && s < files.files().size();
      statistics.put(
          split.getKey(),
          FeatureStats.of(
              split.getValue(),
              sourceColumns,
              own ? missing.get(files.files().get(s).path()) : null));
      s++;
    }
    Map<String, Integer> cappedOut = new LinkedHashMap<>();
    int kept = rows.values().stream().mapToInt(Integer::intValue).sum();
    int read = java.util.Arrays.stream(readPerClass).sum();
    classes.forEach(c -> cappedOut.put(c, 0));
    if (read > kept) {
      int[] perClass = readPerClass;
      for (int k = 0; k < classes.size(); k++) {
        int k2 = k;
        int used = counts.values().stream().mapToInt(m -> m.get(classes.get(k2))).sum();
        cappedOut.put(classes.get(k), perClass[k] - used);
      }
    }
    int max = counts.get("train").values().stream().mapToInt(Integer::intValue).max().orElse(0);
    int min = counts.get("train").values().stream().mapToInt(Integer::intValue).min().orElse(0);
    double imbalance =
        min == 0 ? Double.POSITIVE_INFINITY : Math.round((double) max / min * 1e6) / 1e6;
    TableDuplicates dups = TableDuplicates.find(new ArrayList<>(splits.values()));
    List<RejectedFile> sorted = new ArrayList<>(rejected);
    sorted.sort(Comparator.comparing(TableProfiler::file).thenComparingInt(TableProfiler::line));
    TableStats table =
        new TableStats(
            files.files().stream().map(SourceFile::path).toList(),
            schema.label(),
            schema.ignored(),
            schema.featureNames(),
            schema.oneHot(),
            rows,
            statistics,
            missing);
    return new DatasetProfile(
        files.splitLayout() ? "splits" : "file",
        files.splitLayout() && !files.hasTest(),
        classes,
        TableIngestor.shape(schema),
        counts,
        cappedOut,
        imbalance,
        Map.of(),
        Map.of(),
        0,
        0,
        List.copyOf(sorted),
        dups.acrossSplits(),
        dups.withinSplits(),
        dups.pairs(),
        0,
        List.of(),
        table,
        null);
  }

  /** The source column of each encoded feature. */
  private static List<String> sourceColumns(TableSchema schema) {
    List<String> columns = new ArrayList<>();
    for (Column c : schema.columns()) {
      int n = c.numeric() ? 1 : c.categories().size();
      for (int i = 0; i < n; i++) {
        columns.add(c.name());
      }
    }
    return columns;
  }

  private static String file(RejectedFile r) {
    return r.path().substring(0, r.path().lastIndexOf(':'));
  }

  private static int line(RejectedFile r) {
    return Integer.parseInt(r.path().substring(r.path().lastIndexOf(':') + 1));
  }
}
