package io.tunelab.dataset;

import io.tunelab.table.TableRows;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Splits a table's rows as {@link StratifiedSplit} splits images, with its fractions and seeds: a
 * single file is split 70/15/15 per class; the user's train.csv, val.csv and test.csv are kept,
 * with a test split carved out of train.csv when there is no test.csv; the per-class cap then
 * leaves some training rows out. Within a class, rows are ordered by a hash of their values (then
 * line) before the seeded shuffle, so the split does not depend on the rows' order in the file.
 * Each split keeps its rows in file order.
 */
final class TableSplit {
  private TableSplit() {}

  /**
   * The train, val and test rows.
   *
   * @param buffers the single file's rows, or train.csv's, val.csv's and (when given) test.csv's
   * @throws BadInputException when a split comes out empty
   */
  static List<TableRows> of(
      List<RowBuffer> buffers, boolean splitLayout, TableSchema schema, TableOptions options) {
    RowBuffer first = buffers.get(0);
    int[] splitOf = new int[first.size()];
    List<String> classes = schema.classes();
    for (int k = 0; k < classes.size(); k++) {
      List<Integer> members = ordered(first, k);
      String name = classes.get(k);
      if (!splitLayout) {
        Collections.shuffle(members, StratifiedSplit.random(options.seed(), "split", name));
        for (int i = 0; i < members.size(); i++) {
          splitOf[members.get(i)] = StratifiedSplit.splitAt(i, members.size());
        }
      } else if (buffers.size() == 2) {
        Collections.shuffle(members, StratifiedSplit.random(options.seed(), "carve-test", name));
        for (int i = 0; i < StratifiedSplit.carveSize(members.size()); i++) {
          splitOf[members.get(i)] = StratifiedSplit.TEST;
        }
      }
      cap(first, k, name, splitOf, options);
    }
    List<String> names = schema.featureNames();
    List<TableRows> splits = new ArrayList<>();
    for (int s = StratifiedSplit.TRAIN; s <= StratifiedSplit.TEST; s++) {
      int split = s;
      boolean own = splitLayout && s < buffers.size() && s > StratifiedSplit.TRAIN;
      RowBuffer from = own ? buffers.get(s) : first;
      int[] rows =
          own
              ? IntStream.range(0, from.size()).toArray()
              : IntStream.range(0, from.size()).filter(i -> splitOf[i] == split).toArray();
      if (rows.length == 0) {
        throw new BadInputException(
            "the "
                + StratifiedSplit.name(s)
                + " split of "
                + from.file()
                + " is empty: "
                + (own
                    ? "every row of it was rejected"
                    : "each class needs at least 3 readable rows to be split into train, val"
                        + " and test"));
      }
      splits.add(from.select(names, rows));
    }
    return splits;
  }

  /** The rows of class {@code k}, by value hash and then line. */
  private static List<Integer> ordered(RowBuffer rows, int k) {
    List<Integer> members = new ArrayList<>();
    for (int i = 0; i < rows.size(); i++) {
      if (rows.label(i) == k) {
        members.add(i);
      }
    }
    members.sort(Comparator.comparingLong(rows::hash).thenComparingInt(rows::line));
    return members;
  }

  /** Keeps a seeded choice of {@code perClass} training rows of class {@code k}. */
  private static void cap(RowBuffer rows, int k, String name, int[] splitOf, TableOptions options) {
    if (options.perClass() <= 0) {
      return;
    }
    List<Integer> train = new ArrayList<>();
    for (int i : ordered(rows, k)) {
      if (splitOf[i] == StratifiedSplit.TRAIN) {
        train.add(i);
      }
    }
    if (train.size() <= options.perClass()) {
      return;
    }
    Collections.shuffle(train, StratifiedSplit.random(options.seed(), "per-class", name));
    for (int i = options.perClass(); i < train.size(); i++) {
      splitOf[train.get(i)] = StratifiedSplit.UNUSED;
    }
  }
}
