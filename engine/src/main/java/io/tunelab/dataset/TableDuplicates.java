package io.tunelab.dataset;

import io.tunelab.table.TableRows;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Finds identical feature rows (after encoding, before scaling; labels aside) across and within a
 * table's splits, as {@link DuplicateIndex} does for images: a val or test row whose values appear
 * in an earlier split (train before val before test) is one leaked copy; a row whose values appear
 * earlier in its own split is a duplicate within it. An open-addressing table of row references,
 * probed by a hash of the values, keeps the memory at 4 to 16 bytes per row.
 *
 * @param acrossSplits leaked copies
 * @param withinSplits duplicates within a split
 * @param pairs the first 1000 pairs, origins {@code FILE.csv:LINE}
 */
record TableDuplicates(int acrossSplits, int withinSplits, List<DuplicatePair> pairs) {
  private static final int MAX_PAIRS = 1000;

  /** Searches the train, val and test rows. */
  static TableDuplicates find(List<TableRows> splits) {
    int total = Math.toIntExact(splits.stream().mapToLong(TableRows::size).sum());
    int[] offsets = new int[splits.size()];
    for (int s = 1; s < splits.size(); s++) {
      offsets[s] = offsets[s - 1] + splits.get(s - 1).size();
    }
    int capacity = Integer.highestOneBit(Math.max(16, total)) << 2;
    int[] refs = new int[capacity];
    Arrays.fill(refs, -1);
    int across = 0;
    int within = 0;
    List<DuplicatePair> pairs = new ArrayList<>();
    for (int s = 0; s < splits.size(); s++) {
      TableRows rows = splits.get(s);
      for (int i = 0; i < rows.size(); i++) {
        long h = hash(rows, i);
        int slot = (int) (h ^ (h >>> 32)) & (capacity - 1);
        int found = -1;
        while (refs[slot] >= 0) {
          if (same(splits, offsets, refs[slot], rows, i)) {
            found = refs[slot];
            break;
          }
          slot = (slot + 1) & (capacity - 1);
        }
        if (found < 0) {
          refs[slot] = offsets[s] + i;
          continue;
        }
        int firstSplit = splitOf(offsets, found);
        if (firstSplit == s) {
          within++;
        } else {
          across++;
        }
        if (pairs.size() < MAX_PAIRS) {
          pairs.add(
              new DuplicatePair(
                  splits.get(firstSplit).origins().get(found - offsets[firstSplit]),
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

  /** The split a global row index falls in. */
  private static int splitOf(int[] offsets, int ref) {
    int s = offsets.length - 1;
    while (offsets[s] > ref) {
      s--;
    }
    return s;
  }

  private static boolean same(
      List<TableRows> splits, int[] offsets, int ref, TableRows rows, int i) {
    int s = splitOf(offsets, ref);
    TableRows other = splits.get(s);
    int k = ref - offsets[s];
    int f = rows.features();
    for (int j = 0; j < f; j++) {
      if (other.values()[k * f + j] != rows.values()[i * f + j]) {
        return false;
      }
    }
    return true;
  }
}
