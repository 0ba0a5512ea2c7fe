package io.tunelab.dataset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class StratifiedSplitTest {
  private static List<StratifiedSplit.Member> members(int n) {
    List<StratifiedSplit.Member> list = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      list.add(
          new StratifiedSplit.Member(
              i, ImageDecoder.sha256(new byte[] {(byte) i}), "c/" + i + ".png"));
    }
    return list;
  }

  private static int[] counts(int[] splitOf) {
    int[] c = new int[3];
    for (int s : splitOf) {
      if (s >= 0) {
        c[s]++;
      }
    }
    return c;
  }

  @Test
  void classSizesSplitSeventyFifteenFifteenWithAtLeastOneEach() {
    int[][] expected = {
      {1, 0, 0}, {1, 1, 0}, {1, 1, 1}, {2, 1, 1}, {6, 2, 2}, {14, 3, 3}, {70, 15, 15}
    };
    int[] sizes = {1, 2, 3, 4, 10, 20, 100};
    for (int i = 0; i < sizes.length; i++) {
      int[] splitOf = new int[sizes[i]];
      StratifiedSplit.splitClass(members(sizes[i]), "c", 1, splitOf);
      assertArrayEquals(expected[i], counts(splitOf), "class of " + sizes[i]);
    }
  }

  @Test
  void orderOfTheInputDoesNotMatterButTheSeedDoes() {
    List<StratifiedSplit.Member> members = members(30);
    int[] a = new int[30];
    StratifiedSplit.splitClass(members, "c", 7, a);
    List<StratifiedSplit.Member> shuffled = new ArrayList<>(members);
    Collections.reverse(shuffled);
    int[] b = new int[30];
    StratifiedSplit.splitClass(shuffled, "c", 7, b);
    assertArrayEquals(a, b);
    int[] c = new int[30];
    StratifiedSplit.splitClass(members, "c", 8, c);
    assertFalse(Arrays.equals(a, c));
    assertArrayEquals(counts(a), counts(c));
  }

  @Test
  void carveAndCapTouchOnlyTrainingImages() {
    int[] splitOf = new int[20];
    StratifiedSplit.carveTest(members(20), "c", 1, splitOf);
    assertArrayEquals(new int[] {17, 0, 3}, counts(splitOf));
    int[] one = new int[1];
    StratifiedSplit.carveTest(members(1), "c", 1, one);
    assertArrayEquals(new int[] {1, 0, 0}, counts(one));

    List<StratifiedSplit.Member> train =
        members(20).stream().filter(m -> splitOf[m.index()] == StratifiedSplit.TRAIN).toList();
    StratifiedSplit.cap(train, "c", 1, 5, splitOf);
    assertEquals(5, counts(splitOf)[0]);
    assertEquals(3, counts(splitOf)[2]);
    assertEquals(12, Arrays.stream(splitOf).filter(s -> s == StratifiedSplit.UNUSED).count());
  }
}
