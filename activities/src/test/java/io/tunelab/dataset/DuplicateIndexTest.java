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
    List<DuplicateIndex.Entry> entries = List.of(
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
    assertEquals(new DuplicatePair("train/a/1.png", "train", "val/a/1.png", "val", 0),
        s.pairs().stream().filter(p -> p.second().equals("val/a/1.png")).findFirst().get());
    assertEquals(0, s.nearAcrossSplits());
  }

  @Test
  void nearDuplicatesAreDifferentBytesWithinFourBits() {
    List<DuplicateIndex.Entry> entries = List.of(
        e(0, "train/a/1.png", "A", 0b1111L),
        e(1, "val/a/1.png", "B", 0b0000L),
        e(2, "test/a/1.png", "C", 0b11111L),
        e(2, "test/a/2.png", "D", 0xFFFFL));
    DuplicateIndex.Summary s = DuplicateIndex.find(entries, true);
    assertEquals(List.of(
        new DuplicatePair("train/a/1.png", "train", "val/a/1.png", "val", 4),
        new DuplicatePair("train/a/1.png", "train", "test/a/1.png", "test", 1)),
        s.nearPairs());
    assertEquals(2, s.nearAcrossSplits());
    assertEquals(0, s.acrossSplits());
  }
}
