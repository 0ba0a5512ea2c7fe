package io.tunelab.dataset;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Which split each accepted image lands in, and each split's images in shard order (label, content
 * hash, path). A class-folder source is split by {@link StratifiedSplit}; a split source keeps its
 * splits (with a test split carved out of train when it has none); the per-class cap then leaves
 * some training images out.
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
      IngestOptions options) {
    int[] splitOf = assign(layout, classes, accepted, options);
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

  private static int[] assign(
      SourceLayout layout,
      List<String> classes,
      List<AcceptedImage> accepted,
      IngestOptions options) {
    int[] splitOf = new int[accepted.size()];
    for (String name : classes) {
      List<StratifiedSplit.Member> all = new ArrayList<>();
      List<StratifiedSplit.Member> train = new ArrayList<>();
      for (int i = 0; i < accepted.size(); i++) {
        AcceptedImage a = accepted.get(i);
        if (!a.className().equals(name)) {
          continue;
        }
        StratifiedSplit.Member m = new StratifiedSplit.Member(i, a.sha256(), a.path());
        all.add(m);
        if (layout.splitLayout()) {
          splitOf[i] = SourceLayout.SPLITS.indexOf(a.placement().split());
          if (splitOf[i] == StratifiedSplit.TRAIN) {
            train.add(m);
          }
        }
      }
      if (!layout.splitLayout()) {
        StratifiedSplit.splitClass(all, name, options.seed(), splitOf);
      } else if (!layout.hasTest()) {
        StratifiedSplit.carveTest(train, name, options.seed(), splitOf);
      }
      List<StratifiedSplit.Member> finalTrain =
          all.stream().filter(m -> splitOf[m.index()] == StratifiedSplit.TRAIN).toList();
      StratifiedSplit.cap(finalTrain, name, options.seed(), options.perClass(), splitOf);
    }
    return splitOf;
  }
}
