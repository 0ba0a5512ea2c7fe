package io.tunelab.dataset;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Finds duplicate images among the split images. Exact duplicates have the same content key
 * (SHA-256 of the decoded pixels, see {@code DecodedImage.contentKey}: byte copies, and files
 * re-encoded without loss); near-duplicates have other pixels but perceptual hashes at most {@link
 * #NEAR_DISTANCE} bits apart, and are only looked for across splits.
 *
 * <p>Counts: {@code acrossSplits} is the number of val and test images whose exact content also
 * appears in an earlier split (train before val before test), so each leaked copy counts once;
 * {@code withinSplits} is the number of images whose exact content appears earlier (by path) in the
 * same split. Pair lists are capped at {@link #MAX_PAIRS} entries; counts are not.
 */
final class DuplicateIndex {
  static final int NEAR_DISTANCE = 4;
  static final int MAX_PAIRS = 1000;

  /** Hash blocks of the near-duplicate index: one more than the distance (pigeonhole). */
  private static final int BLOCKS = NEAR_DISTANCE + 1;

  private DuplicateIndex() {}

  /**
   * One split image.
   *
   * @param split split index (0 train, 1 val, 2 test)
   * @param path source path
   * @param sha256 content key (decoded pixels; see the class comment)
   * @param dHash perceptual hash
   */
  record Entry(int split, String path, String sha256, long dHash) {}

  /** What was found; see the class comment for the definitions. */
  record Summary(
      int acrossSplits,
      int withinSplits,
      List<DuplicatePair> pairs,
      int nearAcrossSplits,
      List<DuplicatePair> nearPairs) {}

  /** Finds exact and near duplicates, using parallel streams when {@code parallel}. */
  static Summary find(List<Entry> entries, boolean parallel) {
    List<Entry> sorted = new ArrayList<>(entries);
    sorted.sort(Comparator.comparingInt(Entry::split).thenComparing(Entry::path));
    Map<String, Entry[]> firstBySplit = new HashMap<>();
    int across = 0;
    int within = 0;
    List<DuplicatePair> pairs = new ArrayList<>();
    for (Entry e : sorted) {
      Entry[] first = firstBySplit.computeIfAbsent(e.sha256(), k -> new Entry[3]);
      Entry earlier = null;
      for (int s = 0; s < e.split() && earlier == null; s++) {
        earlier = first[s];
      }
      if (earlier != null) {
        across++;
        addPair(pairs, earlier, e, 0);
      }
      Entry same = first[e.split()];
      if (same != null) {
        within++;
        addPair(pairs, same, e, 0);
      } else {
        first[e.split()] = e;
      }
    }

    Entry[] all = sorted.toArray(new Entry[0]);
    BlockIndex index = new BlockIndex(all);
    IntStream later = IntStream.range(0, all.length).filter(i -> all[i].split() > 0);
    if (parallel) {
      later = later.parallel();
    }
    // Counting needs every image; the capped pair list only the first few, found again in order.
    int nearCount = later.map(i -> index.nearTo(i, null)).sum();
    List<DuplicatePair> nearPairs = new ArrayList<>();
    for (int i = 0; i < all.length && nearPairs.size() < MAX_PAIRS && nearCount > 0; i++) {
      if (all[i].split() > 0) {
        index.nearTo(i, nearPairs);
      }
    }
    return new Summary(across, within, List.copyOf(pairs), nearCount, List.copyOf(nearPairs));
  }

  /**
   * Multi-index hashing over the perceptual hashes of the train and val images: the 64 bits are cut
   * into {@value #BLOCKS} blocks, and two hashes at most {@link #NEAR_DISTANCE} bits apart agree
   * exactly on at least one block (pigeonhole), so only images sharing a block are compared —
   * instead of every later image against every earlier one.
   */
  private static final class BlockIndex {
    private final Entry[] all;

    /** The entries' perceptual hashes, scanned without touching the entries. */
    private final long[] hashes;

    private final int[] splitStart = new int[4];
    private final List<Map<Integer, int[]>> blocks = new ArrayList<>();

    BlockIndex(Entry[] all) {
      this.all = all;
      this.hashes = new long[all.length];
      for (int j = 0; j < all.length; j++) {
        hashes[j] = all[j].dHash();
      }
      // all is sorted by split: splitStart[s] is the first index of split s or a later one.
      for (int s = 0, i = 0; s < splitStart.length; s++) {
        while (i < all.length && all[i].split() < s) {
          i++;
        }
        splitStart[s] = i;
      }
      int earlier = splitStart[2];
      for (int b = 0; b < BLOCKS; b++) {
        Map<Integer, int[]> buckets = new HashMap<>();
        for (int j = 0; j < earlier; j++) {
          // indices ascend within each bucket: [count, j1, j2, ...], grown by doubling
          int key = block(hashes[j], b);
          int[] bucket = buckets.get(key);
          if (bucket == null) {
            bucket = new int[4];
          } else if (bucket[0] + 1 == bucket.length) {
            bucket = java.util.Arrays.copyOf(bucket, bucket.length * 2);
          }
          bucket[++bucket[0]] = j;
          buckets.put(key, bucket);
        }
        blocks.add(buckets);
      }
    }

    /**
     * Counts the near-duplicates of image {@code i} among the images of earlier splits and, when
     * {@code pairs} is given, adds them to it in path order while it holds fewer than {@link
     * #MAX_PAIRS}.
     */
    int nearTo(int i, List<DuplicatePair> pairs) {
      Entry e = all[i];
      long hash = e.dHash();
      int limit = splitStart[e.split()];
      int[] matches = pairs == null ? null : new int[8];
      int count = 0;
      for (int b = 0; b < BLOCKS; b++) {
        int[] bucket = blocks.get(b).get(block(hash, b));
        if (bucket == null) {
          continue;
        }
        for (int k = 1; k <= bucket[0] && bucket[k] < limit; k++) {
          long other = hashes[bucket[k]];
          if (Long.bitCount(hash ^ other) > NEAR_DISTANCE
              || agreesBefore(hash, other, b)
              || all[bucket[k]].sha256().equals(e.sha256())) {
            continue; // too far, found through an earlier block already, or an exact copy
          }
          if (matches != null) {
            if (count == matches.length) {
              matches = java.util.Arrays.copyOf(matches, count * 2);
            }
            matches[count] = bucket[k];
          }
          count++;
        }
      }
      if (matches != null && count > 0) {
        java.util.Arrays.sort(matches, 0, count);
        for (int k = 0; k < count && pairs.size() < MAX_PAIRS; k++) {
          Entry o = all[matches[k]];
          pairs.add(
              new DuplicatePair(
                  o.path(),
                  StratifiedSplit.name(o.split()),
                  e.path(),
                  StratifiedSplit.name(e.split()),
                  Long.bitCount(hash ^ o.dHash())));
        }
      }
      return count;
    }

    private static boolean agreesBefore(long a, long b, int block) {
      for (int k = 0; k < block; k++) {
        if (block(a, k) == block(b, k)) {
          return true;
        }
      }
      return false;
    }

    /** Block {@code b} of a hash: bits [64b/BLOCKS, 64(b+1)/BLOCKS). */
    private static int block(long hash, int b) {
      int from = 64 * b / BLOCKS;
      int to = 64 * (b + 1) / BLOCKS;
      return (int) ((hash >>> from) & ((1L << (to - from)) - 1));
    }
  }

  private static void addPair(List<DuplicatePair> pairs, Entry a, Entry b, int distance) {
    if (pairs.size() < MAX_PAIRS) {
      pairs.add(
          new DuplicatePair(
              a.path(),
              StratifiedSplit.name(a.split()),
              b.path(),
              StratifiedSplit.name(b.split()),
              distance));
    }
  }
}
