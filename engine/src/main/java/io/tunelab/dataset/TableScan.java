package io.tunelab.dataset;

import io.tunelab.dataset.TableSchema.Column;
import java.io.IOException;
import java.io.InputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The first of the table ingest's two passes over the files: it checks the headers, picks the class
 * column, decides which columns are numeric and which are text (and their categories), gathers the
 * classes and hashes each file's bytes, holding only a few values per column. A column is text when
 * most of its present values are not numbers; in a numeric column a value that is not a number
 * makes its row rejected in the second pass ({@link TableEncoder}).
 *
 * @param schema what the columns become
 * @param sha256 each file's hex SHA-256, in the order of the files
 */
record TableScan(TableSchema schema, List<String> sha256) {
  /** The most categories a text column may have to be encoded one-hot. */
  static final int MAX_CATEGORIES = 50;

  /** The most classes a label column may have. */
  static final int MAX_CLASSES = 1000;

  private static final List<String> LABEL_NAMES = List.of("label", "target", "class");

  /** Counts of one column's values, with its first few distinct values. */
  private static final class Tally {
    long numbers;
    long texts;
    final Set<String> distinct = new TreeSet<>();
    boolean overflow;

    void add(String cell) {
      if (CsvRows.number(cell) != null) {
        numbers++;
      } else {
        texts++;
      }
      if (!overflow && distinct.add(cell) && distinct.size() > MAX_CATEGORIES) {
        overflow = true;
      }
    }
  }

  /**
   * Scans the files.
   *
   * @throws BadInputException for an empty file, a header that differs from train.csv's, an unknown
   *     or missing label or ignored column, a text column with too many categories, or fewer than
   *     two classes
   */
  static TableScan of(TableFiles files, TableOptions options) throws IOException {
    String first = files.files().get(0).path();
    List<String> header = null;
    String label = null;
    List<Tally> tallies = null;
    Set<String> classes = new TreeSet<>();
    List<String> hashes = new ArrayList<>();
    for (SourceFile file : files.files()) {
      MessageDigest digest = newDigest();
      try (InputStream in = new DigestInputStream(file.open(), digest);
          CsvRows rows = new CsvRows(file.path(), in)) {
        if (header == null) {
          header = rows.header();
          label = labelColumn(first, header, options);
          tallies = new ArrayList<>();
          for (int i = 0; i < header.size(); i++) {
            tallies.add(new Tally());
          }
        } else {
          requireSameColumns(first, header, file.path(), rows.header());
        }
        int[] order = header.stream().mapToInt(rows.header()::indexOf).toArray();
        int labelAt = rows.header().indexOf(label);
        long read = 0;
        for (CsvRows.Row row = rows.next(); row != null; row = rows.next()) {
          read++;
          if (row.cells().size() != header.size()) {
            continue;
          }
          String value = row.cells().get(labelAt);
          if (!CsvRows.missing(value) && classes.add(value) && classes.size() > MAX_CLASSES) {
            throw new BadInputException(
                file.path()
                    + ": the label column '"
                    + label
                    + "' has more than "
                    + MAX_CLASSES
                    + " distinct values; name the class column with --label");
          }
          for (int i = 0; i < header.size(); i++) {
            String cell = row.cells().get(order[i]);
            if (!CsvRows.missing(cell)) {
              tallies.get(i).add(cell);
            }
          }
        }
        if (read == 0) {
          throw new BadInputException(file.path() + " is empty: it has a header but no rows");
        }
        in.transferTo(java.io.OutputStream.nullOutputStream());
      }
      hashes.add(HexFormat.of().formatHex(digest.digest()));
    }
    if (classes.size() < 2) {
      throw new BadInputException(
          first
              + ": the label column '"
              + label
              + "' has "
              + (classes.isEmpty() ? "no values" : "a single class " + classes)
              + "; a classifier needs at least two classes");
    }
    List<Column> columns = new ArrayList<>();
    for (int i = 0; i < header.size(); i++) {
      String name = header.get(i);
      if (name.equals(label) || options.ignoreColumns().contains(name)) {
        continue;
      }
      Tally t = tallies.get(i);
      if (t.texts <= t.numbers) {
        columns.add(new Column(name, List.of()));
      } else if (t.overflow) {
        throw new BadInputException(
            first
                + ": the text column '"
                + name
                + "' has more than "
                + MAX_CATEGORIES
                + " distinct values, too many to encode one-hot; drop it with --ignore-columns "
                + name);
      } else {
        columns.add(new Column(name, List.copyOf(t.distinct)));
      }
    }
    if (columns.isEmpty()) {
      throw new BadInputException(first + ": no feature column is left besides the label");
    }
    List<String> sorted = new ArrayList<>(classes);
    if (sorted.stream().allMatch(c -> CsvRows.number(c) != null)) {
      sorted.sort(Comparator.comparingDouble(Double::parseDouble));
    }
    return new TableScan(
        new TableSchema(label, options.ignoreColumns(), sorted, columns), List.copyOf(hashes));
  }

  /** The class column: {@code --label}, else label, target or class, else the last column. */
  private static String labelColumn(String file, List<String> header, TableOptions options) {
    for (String ignored : options.ignoreColumns()) {
      if (!header.contains(ignored)) {
        throw new BadInputException(
            file + " has no column '" + ignored + "' to ignore; its columns are " + header);
      }
    }
    String label = options.label();
    if (label == null) {
      label =
          header.stream()
              .filter(h -> LABEL_NAMES.contains(h.toLowerCase(java.util.Locale.ROOT)))
              .findFirst()
              .orElse(header.get(header.size() - 1));
    } else if (!header.contains(label)) {
      throw new BadInputException(
          file + " has no label column '" + label + "'; its columns are " + header);
    }
    if (options.ignoreColumns().contains(label)) {
      throw new BadInputException(
          file + ": the label column '" + label + "' cannot also be ignored");
    }
    if (header.size() < 2) {
      throw new BadInputException(
          file + " has a single column '" + label + "': a table needs features and a label");
    }
    return label;
  }

  /** Refuses a split file whose columns differ from train.csv's, naming them. */
  private static void requireSameColumns(
      String first, List<String> header, String file, List<String> other) {
    ColumnDifference difference = ColumnDifference.of(header, other);
    Set<String> missing = difference.missing();
    Set<String> extra = difference.extra();
    if (!difference.sameNames()) {
      throw new BadInputException(
          file
              + "'s header differs from "
              + first
              + "'s: "
              + (missing.isEmpty() ? "" : "missing " + missing)
              + (missing.isEmpty() || extra.isEmpty() ? "" : ", ")
              + (extra.isEmpty() ? "" : "not in " + first + " " + extra));
    }
  }

  private static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }
}
