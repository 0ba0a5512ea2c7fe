package io.tunelab.dataset;

import io.tunelab.workflows.model.SampleShape;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Makes an ingest's {@link DatasetProfile}: the counts, sizes and colours of the split images are
 * gathered at once, the pixel statistics and the duplicate search (most of an ingest's own work)
 * when the profile is first asked for.
 */
final class DatasetProfiler {
  private DatasetProfiler() {}

  /**
   * The profile of an ingest, made when first asked for.
   *
   * @param selection the classes and layout
   * @param shape the stored shape
   * @param plan the accepted images and their splits
   * @param accepted every accepted image, used or capped out
   * @param splits the packed splits by name
   * @param rejected every rejected file, sorted by path
   * @param parallel whether the duplicate search may use several threads
   */
  static Supplier<DatasetProfile> profile(
      ClassSelection selection,
      SampleShape shape,
      SplitPlan plan,
      List<AcceptedImage> accepted,
      Map<String, LabeledImages> splits,
      List<RejectedFile> rejected,
      boolean parallel) {
    SourceLayout layout = selection.layout();
    List<String> classes = selection.classes();
    Map<String, Map<String, Integer>> counts = new LinkedHashMap<>();
    Map<String, Integer> sizes = new TreeMap<>();
    int grey = 0;
    List<DuplicateIndex.Entry> entries = new ArrayList<>();
    for (int s = 0; s < 3; s++) {
      String split = StratifiedSplit.name(s);
      Map<String, Integer> perClass = new LinkedHashMap<>();
      classes.forEach(c -> perClass.put(c, 0));
      for (AcceptedImage a : plan.split(s)) {
        perClass.merge(a.className(), 1, Integer::sum);
        sizes.merge(a.image().width() + "x" + a.image().height(), 1, Integer::sum);
        grey += a.image().grey() ? 1 : 0;
        entries.add(
            new DuplicateIndex.Entry(s, a.path(), a.image().contentKey(), a.image().dHash()));
      }
      counts.put(split, perClass);
    }
    Map<String, Integer> cappedOut = cappedOut(classes, plan, accepted);
    double imbalance = imbalance(counts.get("train"));
    int greyImages = grey;
    return () -> {
      Map<String, PixelStats> pixels = new LinkedHashMap<>();
      for (int s = 0; s < 3; s++) {
        String split = StratifiedSplit.name(s);
        pixels.put(
            split,
            PixelStats.of(
                splits.get(split).pixels(), shape.channels(), shape.height() * shape.width()));
      }
      DuplicateIndex.Summary dups = DuplicateIndex.find(entries, parallel);
      return new DatasetProfile(
          layout.splitLayout() ? "splits" : "class-folders",
          layout.splitLayout() && !layout.hasTest(),
          List.copyOf(classes),
          shape,
          counts,
          cappedOut,
          imbalance,
          pixels,
          sizes,
          greyImages,
          entries.size() - greyImages,
          List.copyOf(rejected),
          dups.acrossSplits(),
          dups.withinSplits(),
          dups.pairs(),
          dups.nearAcrossSplits(),
          dups.nearPairs(),
          null,
          null);
    };
  }

  /** Per class, the accepted samples the plan leaves out (the --per-class cap). */
  static Map<String, Integer> cappedOut(
      List<String> classes, SplitPlan plan, List<AcceptedImage> accepted) {
    Map<String, Integer> cappedOut = new LinkedHashMap<>();
    classes.forEach(c -> cappedOut.put(c, 0));
    for (int i = 0; i < accepted.size(); i++) {
      if (plan.unused(i)) {
        cappedOut.merge(accepted.get(i).className(), 1, Integer::sum);
      }
    }
    return cappedOut;
  }

  /** The largest class's count over the smallest's (infinite when one is empty), to 6 places. */
  static double imbalance(Map<String, Integer> train) {
    int max = train.values().stream().mapToInt(Integer::intValue).max().orElse(0);
    int min = train.values().stream().mapToInt(Integer::intValue).min().orElse(0);
    return min == 0 ? Double.POSITIVE_INFINITY : Math.round((double) max / min * 1e6) / 1e6;
  }
}
