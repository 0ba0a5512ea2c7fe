package io.tunelab.diagnosis;

import io.tunelab.workflows.model.Arm;
import io.tunelab.workflows.model.Finding;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * {@code insufficient-data}: the median training class has fewer than {@value #MIN_PER_CLASS}
 * images (the median, not the smallest: one small class among large ones is {@link
 * ClassImbalanceRule}'s finding, and its fix is a different one), or the learning curve (probe)
 * still gains at least {@value #STEEP_GAIN} validation accuracy per doubling of the data on its
 * last step to the full training set. A learning curve that has flattened (less than {@value
 * #FLAT_GAIN} per doubling) silences the count criterion: more of the same data would not help.
 */
final class InsufficientDataRule implements Rule {
  static final int MIN_PER_CLASS = 50;
  static final double STEEP_GAIN = 0.02;
  static final double FLAT_GAIN = 0.005;

  @Override
  public void apply(DiagnosisContext context, List<Finding> findings) {
    Map<String, Integer> train = context.trainCounts;
    String smallest = null;
    int min = Integer.MAX_VALUE;
    for (Map.Entry<String, Integer> e : train.entrySet()) {
      if (e.getValue() < min) {
        min = e.getValue();
        smallest = e.getKey();
      }
    }
    int median = median(train.values());
    boolean few = smallest != null && median < MIN_PER_CLASS;
    ProbeResults probes = context.input.probes();
    List<ProbeResults.CurvePoint> curve =
        probes == null || probes.learningCurve() == null
            ? List.of()
            : probes.learningCurve().stream()
                .filter(p -> p.fraction() > 0)
                .sorted(Comparator.comparingDouble(ProbeResults.CurvePoint::fraction))
                .toList();
    Double gain = null;
    if (curve.size() >= 2) {
      ProbeResults.CurvePoint a = curve.get(curve.size() - 2);
      ProbeResults.CurvePoint b = curve.get(curve.size() - 1);
      double doublings = Math.log(b.fraction() / a.fraction()) / Math.log(2);
      if (doublings > 0) {
        gain = (b.valAcc() - a.valAcc()) / doublings;
      }
    }
    boolean steep = gain != null && gain >= STEEP_GAIN;
    boolean flat = gain != null && gain < FLAT_GAIN;
    if (!steep && !(few && !flat)) {
      return;
    }
    StringBuilder evidence = new StringBuilder();
    String many = context.samples.many;
    if (smallest != null) {
      double mean = train.values().stream().mapToInt(Integer::intValue).average().orElse(0);
      evidence
          .append("median training class has ")
          .append(median)
          .append(" ")
          .append(many)
          .append(few ? " (< " + MIN_PER_CLASS + " per class)" : "")
          .append(", smallest '")
          .append(smallest)
          .append("' ")
          .append(min)
          .append(", mean ")
          .append(Fmt.num(mean, 1))
          .append(" per class");
    }
    if (gain != null) {
      if (!evidence.isEmpty()) {
        evidence.append("; ");
      }
      evidence.append("learning curve (fraction of train → val accuracy): ");
      for (int i = 0; i < curve.size(); i++) {
        ProbeResults.CurvePoint p = curve.get(i);
        evidence
            .append(i == 0 ? "" : ", ")
            .append(Fmt.num(p.fraction(), 2))
            .append(" (")
            .append(p.trainImages())
            .append(" ")
            .append(many)
            .append(") → ")
            .append(Fmt.acc(p.valAcc()));
      }
      evidence
          .append("; last step gains ")
          .append(Fmt.signed(gain, 3))
          .append(" per doubling")
          .append(steep ? ", still rising: more data would help" : "");
    }
    String projection =
        steep
            ? " Doubling the training set should gain about " + Fmt.signed(gain, 3) + " accuracy."
            : "";
    findings.add(
        new Finding(
            "insufficient-data",
            "warning",
            "data",
            "Too few training " + many + " per class to generalise",
            evidence.toString(),
            "Collect more labelled "
                + many
                + (smallest != null
                    ? " (aim for at least " + Math.max(MIN_PER_CLASS, 2 * median) + " per class)"
                    : "")
                + "."
                + projection
                + (context.samples == Samples.ROWS
                    ? " Meanwhile regularise (--dropout 0.2, --l2 1e-4)"
                    : " Meanwhile use stronger augmentation (--augment standard or strong)")
                + (context.arm(Arm.FINETUNE) != null
                    ? " and lean on the pretrained features "
                        + "(--freeze backbone) so fewer weights are fitted to few "
                        + many
                        + "."
                    : ", or " + "fine-tune a pretrained model instead of training from scratch.")));
  }

  private static int median(java.util.Collection<Integer> counts) {
    if (counts.isEmpty()) {
      return 0;
    }
    List<Integer> sorted = counts.stream().sorted().toList();
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }
}
