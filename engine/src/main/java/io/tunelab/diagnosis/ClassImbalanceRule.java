package io.tunelab.diagnosis;

import io.tunelab.workflows.model.Finding;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code class-imbalance}: in the training split the largest class is at least {@value #MAX_RATIO}×
 * the smallest, or a class has less than a third of the mean class size — by the given labels, or,
 * with {@code label-noise} found, by the true class sizes the held-out models estimate: their
 * confident joint, or the classes they predict (classify and count) when the joint and the given
 * labels rank the same class smallest.
 */
final class ClassImbalanceRule implements Rule {
  static final double MAX_RATIO = 3.0;
  static final double MIN_OF_MEAN = 1.0 / 3;

  @Override
  public void apply(DiagnosisContext context, List<Finding> findings) {
    Map<String, Integer> train = context.trainCounts;
    if (train.size() < 2) {
      return;
    }
    int max = train.values().stream().mapToInt(Integer::intValue).max().orElse(0);
    int min = train.values().stream().mapToInt(Integer::intValue).min().orElse(0);
    double mean = train.values().stream().mapToInt(Integer::intValue).average().orElse(0);
    if (max == 0) {
      return;
    }
    List<String> small = new ArrayList<>();
    for (Map.Entry<String, Integer> e : train.entrySet()) {
      if (e.getValue() < MIN_OF_MEAN * mean) {
        small.add("'" + e.getKey() + "' " + e.getValue());
      }
    }
    boolean ratio = min == 0 || max / (double) min >= MAX_RATIO;
    if (!imbalanced(max, min, mean)) {
      trueClasses(context, findings);
      return;
    }
    String largest =
        train.entrySet().stream()
            .filter(e -> e.getValue() == max)
            .findFirst()
            .orElseThrow()
            .getKey();
    String smallest =
        train.entrySet().stream()
            .filter(e -> e.getValue() == min)
            .findFirst()
            .orElseThrow()
            .getKey();
    String unmeasured = unmeasured(context);
    String evidence =
        "training counts "
            + train
            + "; largest '"
            + largest
            + "' "
            + max
            + ", smallest '"
            + smallest
            + "' "
            + min
            + " ("
            + (min == 0
                ? "no " + context.samples.many + " at all"
                : "ratio "
                    + Fmt.num(max / (double) min, 1)
                    + (ratio ? " ≥ " + Fmt.num(MAX_RATIO, 0) : ""))
            + "); mean "
            + Fmt.num(mean, 1)
            + (small.isEmpty() ? "" : "; below a third of the mean: " + String.join(", ", small))
            + unmeasured;
    findings.add(
        new Finding(
            "class-imbalance",
            "warning",
            "data",
            "Training classes are strongly unequal in size",
            evidence,
            "The model learns to favour '"
                + largest
                + "': collect more "
                + context.samples.many
                + " of '"
                + smallest
                + "', oversample the small classes or weight the loss by inverse class frequency"
                + (min >= InsufficientDataRule.MIN_PER_CLASS
                    ? " (or cap the large ones with " + "--per-class " + 2 * min + ")"
                    : "")
                + ", and judge the run by per-class "
                + "recall or balanced accuracy rather than plain accuracy."
                + (unmeasured.isEmpty()
                    ? ""
                    : " A class with no test or validation "
                        + context.samples.many
                        + " is not measured at all: give it at least 3 "
                        + context.samples.many
                        + " (one for each split).")));
  }

  /**
   * The limits: largest at least {@value #MAX_RATIO}× the smallest, or one under a third of the
   * mean.
   */
  static boolean imbalanced(double max, double min, double mean) {
    return min <= 0 || max / min >= MAX_RATIO || min < MIN_OF_MEAN * mean;
  }

  /**
   * With {@code label-noise} found (at warning), the given counts say what the labels hold, not the
   * data: flips into a starved class fill it with other classes' images. The classes' true sizes as
   * the confident joint estimates them ({@link ConfidentLearning#estimatedTrueCounts}) are judged
   * on the same limits. So are the classes the held-out models predict for the training images
   * (classify and count), when the confident joint ranks the same class smallest: a class whose
   * label holds mostly flips has a self-confidence threshold so low that it draws other classes'
   * unsure images into the joint (the harness's digits seed 3: 39 labels, a handful of true images,
   * estimated at 39), while the models, having seen few of its images, seldom predict it (18 of
   * 365). Prediction counts alone would also starve a class the models find hard, hence the
   * agreement: the joint and the given labels must rank the same class smallest (a hard class has
   * as many labels as the others).
   */
  private static void trueClasses(DiagnosisContext context, List<Finding> findings) {
    OutOfSamplePredictions oos = context.input.outOfSample();
    if (oos == null
        || findings.stream()
            .noneMatch(f -> "label-noise".equals(f.code()) && !"info".equals(f.severity()))) {
      return;
    }
    double[] estimated = ConfidentLearning.estimatedTrueCounts(oos, context.confidentLearning());
    int k = Math.min(estimated.length, context.classes.size());
    if (k < 2) {
      return;
    }
    Sizes joint = Sizes.of(estimated, k);
    double[] predicted = ConfidentLearning.predictedCounts(oos, k);
    Sizes byPrediction = Sizes.of(predicted, k);
    boolean byJoint = joint.imbalanced();
    if (!byJoint
        && (byPrediction.smallest() != joint.smallest()
            || !smallestGiven(context, context.classes.get(joint.smallest()))
            || !byPrediction.imbalanced())) {
      return;
    }
    Sizes sizes = byJoint ? joint : byPrediction;
    double max = sizes.max();
    double min = sizes.min();
    String big = context.classes.get(sizes.largest());
    String starved = context.classes.get(sizes.smallest());
    findings.add(
        new Finding(
            "class-imbalance",
            "warning",
            "data",
            "Training classes are strongly unequal in size once the mislabelled "
                + context.samples.many
                + " are counted where they belong",
            "training counts by given label "
                + context.trainCounts
                + " are within the limits (ratio "
                + MAX_RATIO
                + ", a third of the mean), but label-noise found the labels noisy: the held-out "
                + "models' confident joint puts the true class sizes at "
                + rounded(context, estimated, k)
                + (byJoint
                    ? ""
                    : " (smallest '"
                        + starved
                        + "', within the limits) and the classes they predict for the training "
                        + context.samples.many
                        + " are "
                        + rounded(context, predicted, k))
                + ": largest '"
                + big
                + "' ~"
                + Math.round(max)
                + ", smallest '"
                + starved
                + "' ~"
                + Math.round(min)
                + (min > 0
                    ? " (ratio " + Fmt.num(max / min, 1) + " ≥ " + Fmt.num(MAX_RATIO, 0) + ")"
                    : "")
                + "; flips into '"
                + starved
                + "' make it look larger than it is",
            "Fix the labels first (see label-noise): '"
                + starved
                + "' holds fewer real "
                + context.samples.many
                + " than its label count says. Then collect more of it, oversample it or weight "
                + "the loss by inverse class frequency, and judge the run by per-class recall or "
                + "balanced accuracy."));
  }

  /**
   * Whether {@code label} has the fewest training labels, below the mean: the labels lean the way
   * the estimates say, which a class the models merely find hard, with as many labels as the
   * others, does not.
   */
  private static boolean smallestGiven(DiagnosisContext context, String label) {
    Integer count = context.trainCounts.get(label);
    if (count == null) {
      return false;
    }
    double mean =
        context.trainCounts.values().stream().mapToInt(Integer::intValue).average().orElse(0);
    return count < mean && context.trainCounts.values().stream().allMatch(c -> c >= count);
  }

  /**
   * The largest and smallest of the first {@code k} class sizes (the first on ties), and their
   * mean.
   */
  private record Sizes(double[] sizes, int largest, int smallest, double mean) {
    static Sizes of(double[] sizes, int k) {
      int largest = 0;
      int smallest = 0;
      double mean = 0;
      for (int c = 0; c < k; c++) {
        largest = sizes[c] > sizes[largest] ? c : largest;
        smallest = sizes[c] < sizes[smallest] ? c : smallest;
        mean += sizes[c] / k;
      }
      return new Sizes(sizes, largest, smallest, mean);
    }

    double max() {
      return sizes[largest];
    }

    double min() {
      return sizes[smallest];
    }

    boolean imbalanced() {
      return ClassImbalanceRule.imbalanced(max(), min(), mean);
    }
  }

  /** The first {@code k} class sizes, rounded, by class name. */
  private static Map<String, Long> rounded(DiagnosisContext context, double[] sizes, int k) {
    Map<String, Long> rounded = new java.util.LinkedHashMap<>();
    for (int c = 0; c < k; c++) {
      rounded.put(context.classes.get(c), Math.round(sizes[c]));
    }
    return rounded;
  }

  /** The classes without a test or validation image, in words ("" when there are none). */
  private static String unmeasured(DiagnosisContext context) {
    return missing(context, context.testCounts, "test", "the test accuracy does not measure")
        + missing(
            context,
            context.valCounts,
            "validation",
            "validation metrics and the best epoch do not see");
  }

  private static String missing(
      DiagnosisContext context, Map<String, Integer> counts, String split, String consequence) {
    List<String> none =
        counts.entrySet().stream()
            .filter(e -> e.getValue() == 0)
            .map(e -> "'" + e.getKey() + "'")
            .toList();
    if (none.isEmpty()) {
      return "";
    }
    boolean one = none.size() == 1;
    return "; "
        + String.join(", ", none)
        + (one ? " has" : " have")
        + " no "
        + split
        + " "
        + context.samples.many
        + " ("
        + consequence
        + (one ? " it)" : " them)");
  }
}
