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
 * re-encoded without loss); near-duplicates have other pixels but perceptual hashes at most
 * {@link #NEAR_DISTANCE} bits apart, and are only looked for across splits.
 *
 * <p>Counts: {@code acrossSplits} is the number of val and test images whose exact content also
 * appears in an earlier split (train before val before test), so each leaked copy counts once;
 * {@code withinSplits} is the number of images whose exact content appears earlier (by path) in
 * the same split. Pair lists are capped at {@link #MAX_PAIRS} entries; counts are not.
 */
final class DuplicateIndex {
  static final int NEAR_DISTANCE = 4;
  static final int MAX_PAIRS = 1000;

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
  record Summary(int acrossSplits, int withinSplits, List<DuplicatePair> pairs,
      int nearAcrossSplits, List<DuplicatePair> nearPairs) {}

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
    IntStream later = IntStream.range(0, all.length).filter(i -> all[i].split() > 0);
    if (parallel) {
      later = later.parallel();
    }
    List<Near> found = later.mapToObj(i -> nearTo(all, i)).toList();
    int nearCount = 0;
    List<DuplicatePair> nearPairs = new ArrayList<>();
    for (Near near : found) {
      nearCount += near.count();
      for (DuplicatePair p : near.pairs()) {
        if (nearPairs.size() < MAX_PAIRS) {
          nearPairs.add(p);
        }
      }
    }
    return new Summary(across, within, List.copyOf(pairs), nearCount, List.copyOf(nearPairs));
  }

  /** How many near-duplicates one image has, and the first {@link #MAX_PAIRS} of them. */
  private record Near(int count, List<DuplicatePair> pairs) {}

  /** Near-duplicates of image {@code i} among the images of earlier splits. */
  private static Near nearTo(Entry[] all, int i) {
    Entry e = all[i];
    int count = 0;
    List<DuplicatePair> pairs = List.of();
    long hash = e.dHash();
    for (int j = 0; j < all.length && all[j].split() < e.split(); j++) {
      Entry o = all[j];
      int d = Long.bitCount(hash ^ o.dHash());
      if (d <= NEAR_DISTANCE && !o.sha256().equals(e.sha256())) {
        count++;
        if (pairs.isEmpty()) {
          pairs = new ArrayList<>();
        }
        if (pairs.size() < MAX_PAIRS) {
          pairs.add(new DuplicatePair(o.path(), StratifiedSplit.name(o.split()), e.path(),
              StratifiedSplit.name(e.split()), d));
        }
      }
    }
    return new Near(count, pairs);
  }

  private static void addPair(List<DuplicatePair> pairs, Entry a, Entry b, int distance) {
    if (pairs.size() < MAX_PAIRS) {
      pairs.add(new DuplicatePair(a.path(), StratifiedSplit.name(a.split()), b.path(),
          StratifiedSplit.name(b.split()), distance));
    }
  }
}
