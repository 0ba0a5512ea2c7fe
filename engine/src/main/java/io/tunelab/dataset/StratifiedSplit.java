package io.tunelab.dataset;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * Assigns images to splits per class, reproducibly. Within a class, images are first ordered by
 * content hash (then path), so the result does not depend on file names or listing order, and then
 * shuffled with a {@link Random} seeded from the seed, the purpose and the class name.
 *
 * <p>A class-folder source is split 70/15/15 into train, val and test, with at least one image in
 * each split when the class has at least three (a class of two gives one to train and one to val; a
 * class of one goes to train). A split source keeps its splits; when it has no test split, 15% of
 * each class's training images (at least one, when two or more) become its test split. Finally the
 * per-class cap keeps a seeded choice of that many training images per class and leaves the rest
 * out of every split.
 */
final class StratifiedSplit {
  static final int TRAIN = 0;
  static final int VAL = 1;
  static final int TEST = 2;

  /** Split index of an image left out by the per-class cap. */
  static final int UNUSED = -1;

  static final double VAL_FRACTION = 0.15;
  static final double TEST_FRACTION = 0.15;

  private StratifiedSplit() {}

  /**
   * One accepted image as the split sees it.
   *
   * @param index the image's position in the ingestor's list
   * @param sha256 content hash
   * @param path source path (breaks ties between identical contents)
   */
  record Member(int index, String sha256, String path) {}

  /**
   * Splits one class of a class-folder source into train, val and test, writing {@code splitOf}.
   */
  static void splitClass(List<Member> members, String className, long seed, int[] splitOf) {
    List<Member> order = ordered(members, seed, "split", className);
    int n = order.size();
    for (int i = 0; i < n; i++) {
      splitOf[order.get(i).index()] = splitAt(i, n);
    }
  }

  /**
   * The split of the {@code i}-th of {@code n} members of a class in shuffled order: the first
   * {@link #testSize} go to test, the next {@link #valSize} to val, the rest to train.
   */
  static int splitAt(int i, int n) {
    int nTest = testSize(n);
    return i < nTest ? TEST : i < nTest + valSize(n) ? VAL : TRAIN;
  }

  /** How many of a class's {@code n} members go to val: 15%, at least one when n >= 2. */
  static int valSize(int n) {
    return n >= 3 ? Math.max(1, (int) Math.round(n * VAL_FRACTION)) : n == 2 ? 1 : 0;
  }

  /** How many of a class's {@code n} members go to test: 15%, at least one when n >= 3. */
  static int testSize(int n) {
    return n >= 3 ? Math.max(1, (int) Math.round(n * TEST_FRACTION)) : 0;
  }

  /** How many of a class's {@code n} training members are carved out as test. */
  static int carveSize(int n) {
    return n >= 2 ? Math.min(n - 1, Math.max(1, (int) Math.round(n * TEST_FRACTION))) : 0;
  }

  /**
   * The shuffle of one purpose ({@code split}, {@code carve-test}, {@code per-class}) and class.
   */
  static Random random(long seed, String purpose, String className) {
    return new Random(seed * 1_000_003L + (purpose + "/" + className).hashCode());
  }

  /** Moves 15% of one class's training images (at least one, when two or more) to test. */
  static void carveTest(List<Member> trainMembers, String className, long seed, int[] splitOf) {
    List<Member> order = ordered(trainMembers, seed, "carve-test", className);
    int n = order.size();
    int nTest = carveSize(n);
    for (int i = 0; i < nTest; i++) {
      splitOf[order.get(i).index()] = TEST;
    }
  }

  /** Keeps a seeded choice of {@code cap} of one class's training images; the rest are unused. */
  static void cap(List<Member> trainMembers, String className, long seed, int cap, int[] splitOf) {
    if (cap <= 0 || trainMembers.size() <= cap) {
      return;
    }
    List<Member> order = ordered(trainMembers, seed, "per-class", className);
    for (int i = cap; i < order.size(); i++) {
      splitOf[order.get(i).index()] = UNUSED;
    }
  }

  private static List<Member> ordered(
      List<Member> members, long seed, String purpose, String className) {
    List<Member> order = new ArrayList<>(members);
    order.sort(Comparator.comparing(Member::sha256).thenComparing(Member::path));
    Collections.shuffle(order, random(seed, purpose, className));
    return order;
  }

  /** The name of a split index. */
  static String name(int split) {
    return SourceLayout.SPLITS.get(split);
  }
}
