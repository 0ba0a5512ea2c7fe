package io.tunelab.diagnosis;

import io.tunelab.workflows.model.Arm;
import io.tunelab.workflows.model.EpochMetrics;
import io.tunelab.workflows.model.Finding;
import java.util.List;
import java.util.Map;

/**
 * {@code small-validation-set}: the validation set is too small to tell changes from noise: the 95%
 * Wilson half-width of the reference validation accuracy exceeds {@value #MAX_ACC_HALF_WIDTH}, or a
 * class has fewer than {@value #MIN_PER_CLASS} validation images. The reference accuracy is the
 * fine-tune arm's at its best epoch (else the first arm's); without any epoch only the per-class
 * count is judged.
 */
final class SmallValidationSetRule implements Rule {
  static final double MAX_ACC_HALF_WIDTH = 0.05;
  static final int MIN_PER_CLASS = 30;

  @Override
  public void apply(DiagnosisContext context, List<Finding> findings) {
    int n = context.validationSize;
    ArmView reference = context.arm(Arm.FINETUNE);
    if (reference == null || reference.trained().isEmpty()) {
      reference =
          context.arms.stream().filter(a -> !a.trained().isEmpty()).findFirst().orElse(null);
    }
    if (n == 0 && reference != null && !reference.predictions().isEmpty()) {
      n = reference.predictions().values().iterator().next().size();
    }
    if (n == 0) {
      return;
    }
    String smallest = null;
    int smallestCount = Integer.MAX_VALUE;
    for (Map.Entry<String, Integer> e : context.valCounts.entrySet()) {
      if (e.getValue() < smallestCount) {
        smallestCount = e.getValue();
        smallest = e.getKey();
      }
    }
    boolean fewPerClass = smallest != null && smallestCount < MIN_PER_CLASS;
    double p = Double.NaN;
    EpochMetrics best = null;
    if (reference != null) {
      best = reference.minValLoss();
      if (best != null && best.epoch() == 0 && reference.trained().size() > 0) {
        best = reference.trained().get(0);
      }
    }
    double half = Double.NaN;
    NoiseBand.Interval interval = null;
    if (best != null) {
      p = best.valAcc();
      interval = NoiseBand.wilson(p, n);
      half = interval.halfWidth();
    }
    boolean wide = half > MAX_ACC_HALF_WIDTH;
    if (!fewPerClass && !wide) {
      return;
    }
    String many = context.samples.many;
    StringBuilder evidence =
        new StringBuilder("validation set of ").append(n).append(" ").append(many);
    if (smallest != null) {
      evidence
          .append(", smallest class '")
          .append(smallest)
          .append("' with ")
          .append(smallestCount)
          .append(fewPerClass ? " (< " + MIN_PER_CLASS + " per class)" : "");
    }
    if (interval != null) {
      evidence
          .append("; 95% Wilson interval of val accuracy ")
          .append(Fmt.acc(p))
          .append(" (")
          .append(reference.name())
          .append(", epoch ")
          .append(best.epoch())
          .append(") is [")
          .append(Fmt.acc(interval.low()))
          .append(", ")
          .append(Fmt.acc(interval.high()))
          .append("], ± ")
          .append(Fmt.acc(half))
          .append(wide ? " (> ± " + MAX_ACC_HALF_WIDTH + ")" : "")
          .append("; val loss band ± ")
          .append(Fmt.loss(reference.band().loss(best)));
    }
    // Few per class is a warning by itself; a wide interval alone is one only when clearly wider
    // than the limit (Strength): 200 images at 0.75 accuracy are ± 0.06, at the edge.
    Strength strength = wide ? new Strength(half, MAX_ACC_HALF_WIDTH, "the ± 0.05 limit") : null;
    String severity = fewPerClass ? "warning" : strength.severity("warning");
    if (!fewPerClass) {
      evidence.append("; the interval's half-width is ").append(strength.describe());
    }
    evidence.append(": changes smaller than that cannot be told from noise");
    int needed = neededSize(Double.isNaN(p) ? 0.5 : p);
    int perClass =
        Math.max(
            MIN_PER_CLASS,
            context.numClasses > 0
                ? (int) Math.ceil(needed / (double) context.numClasses)
                : MIN_PER_CLASS);
    findings.add(
        new Finding(
            "small-validation-set",
            severity,
            "data",
            "The validation set is too small to tell real changes from noise",
            evidence.toString(),
            "Give validation more "
                + many
                + ": about "
                + Math.max(needed, perClass * Math.max(1, context.numClasses))
                + " in total (at least "
                + perClass
                + " per class) narrow the "
                + "accuracy interval to ± "
                + MAX_ACC_HALF_WIDTH
                + "; with a fixed budget, move "
                + many
                + " from train (or provide your own "
                + (context.samples == Samples.ROWS ? "val.csv" : "val/ split")
                + "). Until then treat epoch-to-epoch "
                + "changes and the best-epoch choice as rough."));
  }

  /** The smallest validation size whose Wilson half-width at {@code p} is at most the limit. */
  static int neededSize(double p) {
    int n = 1;
    while (NoiseBand.wilson(p, n).halfWidth() > MAX_ACC_HALF_WIDTH && n < 1_000_000) {
      n = n < 16 ? n + 1 : (int) Math.ceil(n * 1.02);
    }
    return n;
  }
}
