package io.tunelab.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class DuplicateIndexTest {
  private static DuplicateIndex.Entry e(int split, String path, String sha, long hash) {
    return new DuplicateIndex.Entry(split, path, sha, hash);
  }

  @Test
  void countsEachLeakedCopyOnceAndWithinSplitCopiesSeparately() {
    List<DuplicateIndex.Entry> entries =
        List.of(
            e(0, "train/a/1.png", "A", 0L),
            e(0, "train/a/2.png", "A", 0L),
            e(1, "val/a/1.png", "A", 0L),
            e(2, "test/a/1.png", "A", 0L),
            e(2, "test/a/2.png", "B", 0xFFL),
            e(1, "val/a/2.png", "B", 0xFFL),
            e(1, "val/a/3.png", "C", 0xF0F0F0F0F0L));
    DuplicateIndex.Summary s = DuplicateIndex.find(entries, false);
    assertEquals(3, s.acrossSplits(), "val/a/1, test/a/1 (A) and test/a/2 (B)");
    assertEquals(1, s.withinSplits(), "train/a/2");
    assertEquals(
        new DuplicatePair("train/a/1.png", "train", "val/a/1.png", "val", 0),
        s.pairs().stream().filter(p -> p.second().equals("val/a/1.png")).findFirst().get());
    assertEquals(0, s.nearAcrossSplits());
  }

  @Test
  void nearDuplicatesAreDifferentBytesWithinFourBits() {
    List<DuplicateIndex.Entry> entries =
        List.of(
            e(0, "train/a/1.png", "A", 0b1111L),
            e(1, "val/a/1.png", "B", 0b0000L),
            e(2, "test/a/1.png", "C", 0b11111L),
            e(2, "test/a/2.png", "D", 0xFFFFL));
    DuplicateIndex.Summary s = DuplicateIndex.find(entries, true);
    assertEquals(
        List.of(
            new DuplicatePair("train/a/1.png", "train", "val/a/1.png", "val", 4),
            new DuplicatePair("train/a/1.png", "train", "test/a/1.png", "test", 1)),
        s.nearPairs());
    assertEquals(2, s.nearAcrossSplits());
    assertEquals(0, s.acrossSplits());
  }

  @Test
  void theBlockIndexFindsWhatComparingEveryPairFinds() {
    // Clusters of hashes a few bits apart (look-alikes), shared blocks (black backgrounds),
    // exact copies, and random hashes, in all three splits.
    java.util.Random random = new java.util.Random(5);
    List<DuplicateIndex.Entry> entries = new java.util.ArrayList<>();
    long[] centres = new long[40];
    for (int c = 0; c < centres.length; c++) {
      centres[c] = c % 4 == 0 ? random.nextLong() & 0xFFFFFFFFL : random.nextLong();
    }
    for (int i = 0; i < 3000; i++) {
      int split = i % 10 < 7 ? 0 : i % 10 < 9 ? 1 : 2;
      long hash =
          random.nextInt(3) == 0 ? random.nextLong() : centres[random.nextInt(centres.length)];
      for (int flips = random.nextInt(7); flips > 0; flips--) {
        hash ^= 1L << random.nextInt(64);
      }
      String sha = random.nextInt(20) == 0 ? "copy" + random.nextInt(5) : "sha" + i;
      entries.add(
          e(split, String.format("%s/c/%05d.png", StratifiedSplit.name(split), i), sha, hash));
    }
    DuplicateIndex.Summary s = DuplicateIndex.find(entries, true);

    List<DuplicateIndex.Entry> sorted = new java.util.ArrayList<>(entries);
    sorted.sort(
        java.util.Comparator.comparingInt(DuplicateIndex.Entry::split)
            .thenComparing(DuplicateIndex.Entry::path));
    int count = 0;
    List<DuplicatePair> pairs = new java.util.ArrayList<>();
    for (DuplicateIndex.Entry later : sorted) {
      for (DuplicateIndex.Entry earlier : sorted) {
        int d = Long.bitCount(later.dHash() ^ earlier.dHash());
        if (earlier.split() < later.split()
            && d <= DuplicateIndex.NEAR_DISTANCE
            && !earlier.sha256().equals(later.sha256())) {
          count++;
          if (pairs.size() < DuplicateIndex.MAX_PAIRS) {
            pairs.add(
                new DuplicatePair(
                    earlier.path(),
                    StratifiedSplit.name(earlier.split()),
                    later.path(),
                    StratifiedSplit.name(later.split()),
                    d));
          }
        }
      }
    }
    assertEquals(true, count > 1000, "the data has many look-alikes: " + count);
    assertEquals(count, s.nearAcrossSplits());
    assertEquals(pairs, s.nearPairs());
  }
}
