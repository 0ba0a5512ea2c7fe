package io.tunelab.dataset;

import io.tunelab.table.TableRows;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Finds identical feature rows (after encoding, before scaling; labels aside) across and within a
 * table's splits, as {@link DuplicateIndex} does for images: a val or test row whose values appear
 * in an earlier split (train before val before test) is one leaked copy; a row whose values appear
 * earlier in its own split is a duplicate within it. An open-addressing table of row hashes and row
 * references keeps the memory at a few bytes per row.
 *
 * @param acrossSplits leaked copies
 * @param withinSplits duplicates within a split
 * @param pairs the first 1000 pairs, origins {@code FILE.csv:LINE}
 */
record TableDuplicates(int acrossSplits, int withinSplits, List<DuplicatePair> pairs) {
  private static final int MAX_PAIRS = 1000;

  /** Searches the train, val and test rows. */
  static TableDuplicates find(List<TableRows> splits) {
    long total = splits.stream().mapToLong(TableRows::size).sum();
    int capacity = Integer.highestOneBit((int) Math.max(16, total * 2)) << 1;
    long[] hashes = new long[capacity];
    long[] refs = new long[capacity];
    Arrays.fill(refs, -1);
    int across = 0;
    int within = 0;
    List<DuplicatePair> pairs = new ArrayList<>();
    for (int s = 0; s < splits.size(); s++) {
      TableRows rows = splits.get(s);
      for (int i = 0; i < rows.size(); i++) {
        long h = hash(rows, i);
        int slot = (int) (h ^ (h >>> 32)) & (capacity - 1);
        long found = -1;
        while (refs[slot] >= 0) {
          if (hashes[slot] == h && same(splits, refs[slot], rows, i)) {
            found = refs[slot];
            break;
          }
          slot = (slot + 1) & (capacity - 1);
        }
        if (found < 0) {
          hashes[slot] = h;
          refs[slot] = ((long) s << 32) | i;
          continue;
        }
        int firstSplit = (int) (found >>> 32);
        if (firstSplit == s) {
          within++;
        } else {
          across++;
        }
        if (pairs.size() < MAX_PAIRS) {
          pairs.add(
              new DuplicatePair(
                  splits.get(firstSplit).origins().get((int) found),
                  StratifiedSplit.name(firstSplit),
                  rows.origins().get(i),
                  StratifiedSplit.name(s),
                  0));
        }
      }
    }
    return new TableDuplicates(across, within, List.copyOf(pairs));
  }

  private static long hash(TableRows rows, int i) {
    int f = rows.features();
    long h = 1125899906842597L;
    float[] v = rows.values();
    for (int j = i * f; j < (i + 1) * f; j++) {
      h = 31 * h + Float.floatToIntBits(v[j] == 0f ? 0f : v[j]);
    }
    return h * 0x9E3779B97F4A7C15L;
  }

  private static boolean same(List<TableRows> splits, long ref, TableRows rows, int i) {
    TableRows other = splits.get((int) (ref >>> 32));
    int k = (int) ref;
    int f = rows.features();
    for (int j = 0; j < f; j++) {
      if (other.values()[k * f + j] != rows.values()[i * f + j]) {
        return false;
      }
    }
    return true;
  }
}
