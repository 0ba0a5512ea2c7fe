package io.tunelab.dataset;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which split each accepted image lands in, and each split's images in shard order (label, content
 * hash, path). A class-folder source is split by {@link StratifiedSplit}; a split source keeps its
 * splits (with a test split carved out of train when it has none); the per-class cap then leaves
 * some training images out. Samples of one {@link DataKind#splitGroup group} always share a split.
 *
 * @param splitOf each accepted image's split index, or {@link StratifiedSplit#UNUSED}
 * @param bySplit the images of train, val and test, in shard order
 */
record SplitPlan(int[] splitOf, List<List<AcceptedImage>> bySplit) {
  private static final Comparator<AcceptedImage> SHARD_ORDER =
      Comparator.comparingInt(AcceptedImage::label)
          .thenComparing(AcceptedImage::sha256)
          .thenComparing(AcceptedImage::path);

  /**
   * Splits the accepted images.
   *
   * @throws BadInputException when the val or test split comes out empty
   */
  static SplitPlan of(
      SourceLayout layout,
      List<String> classes,
      List<AcceptedImage> accepted,
      IngestOptions options,
      DataKind kind) {
    int[] splitOf = assign(layout, classes, accepted, options, kind);
    List<List<AcceptedImage>> bySplit = new ArrayList<>();
    for (int s = 0; s < 3; s++) {
      bySplit.add(new ArrayList<>());
    }
    for (int i = 0; i < accepted.size(); i++) {
      if (splitOf[i] != StratifiedSplit.UNUSED) {
        bySplit.get(splitOf[i]).add(accepted.get(i));
      }
    }
    bySplit.forEach(list -> list.sort(SHARD_ORDER));
    for (int s = StratifiedSplit.VAL; s <= StratifiedSplit.TEST; s++) {
      if (bySplit.get(s).isEmpty()) {
        throw new BadInputException(
            "the "
                + StratifiedSplit.name(s)
                + " split is empty: "
                + (layout.splitLayout()
                    ? "the training split is too small to carve a test split out " + "of it"
                    : "each class needs at least 3 usable images to be split into train, val "
                        + "and test"));
      }
    }
    return new SplitPlan(splitOf, bySplit);
  }

  /** The images of split {@code s} ({@link StratifiedSplit#TRAIN}, VAL or TEST), in shard order. */
  List<AcceptedImage> split(int s) {
    return bySplit.get(s);
  }

  /** Whether the accepted image at {@code index} was left out of every split by the cap. */
  boolean unused(int index) {
    return splitOf[index] == StratifiedSplit.UNUSED;
  }

  /**
   * Splits each class by its {@link DataKind#splitGroup groups}: a group's samples share a split,
   * the fractions and the cap count groups. An image is a group of its own.
   */
  private static int[] assign(
      SourceLayout layout,
      List<String> classes,
      List<AcceptedImage> accepted,
      IngestOptions options,
      DataKind kind) {
    int[] splitOf = new int[accepted.size()];
    for (String name : classes) {
      Map<String, List<Integer>> groups = new LinkedHashMap<>();
      Map<String, String> groupHash = new HashMap<>();
      for (int i = 0; i < accepted.size(); i++) {
        AcceptedImage a = accepted.get(i);
        if (a.className().equals(name)) {
          String group = kind.splitGroup(a.path());
          groups.computeIfAbsent(group, g -> new ArrayList<>()).add(i);
          groupHash.merge(group, a.sha256(), (x, y) -> x.compareTo(y) <= 0 ? x : y);
        }
      }
      int[] groupSplit = new int[groups.size()];
      List<StratifiedSplit.Member> all = new ArrayList<>();
      List<StratifiedSplit.Member> train = new ArrayList<>();
      for (Map.Entry<String, List<Integer>> group : groups.entrySet()) {
        int g = all.size();
        StratifiedSplit.Member m =
            new StratifiedSplit.Member(g, groupHash.get(group.getKey()), group.getKey());
        all.add(m);
        if (layout.splitLayout()) {
          AcceptedImage first = accepted.get(group.getValue().get(0));
          groupSplit[g] = SourceLayout.SPLITS.indexOf(first.placement().split());
          if (groupSplit[g] == StratifiedSplit.TRAIN) {
            train.add(m);
          }
        }
      }
      if (!layout.splitLayout()) {
        StratifiedSplit.splitClass(all, name, options.seed(), groupSplit);
      } else if (!layout.hasTest()) {
        StratifiedSplit.carveTest(train, name, options.seed(), groupSplit);
      }
      List<StratifiedSplit.Member> finalTrain =
          all.stream().filter(m -> groupSplit[m.index()] == StratifiedSplit.TRAIN).toList();
      StratifiedSplit.cap(finalTrain, name, options.seed(), options.perClass(), groupSplit);
      int g = 0;
      for (List<Integer> members : groups.values()) {
        for (int i : members) {
          splitOf[i] = groupSplit[g];
        }
        g++;
      }
    }
    return splitOf;
  }
}
