package io.tunelab.diagnosis;

import io.tunelab.dataset.DataKind;
import io.tunelab.dataset.SourceStats;
import io.tunelab.workflows.model.Arm;
import io.tunelab.workflows.model.EpochMetrics;
import io.tunelab.workflows.model.Finding;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code domain-shift}: the target's training pixels against the pretrained model's source
 * statistics, and the linear probe against fine-tuning.
 *
 * <ul>
 *   <li>pixel shift: |mean difference| above {@value #MAX_MEAN_SHIFT} source standard deviations, a
 *       standard-deviation ratio outside [2/3, 3/2], or a Jensen–Shannon divergence (base 2)
 *       between the 16-bin histograms above {@value #MAX_JS};
 *   <li>feature shift: a linear probe on the frozen pretrained features reaches a validation
 *       accuracy at least {@value #PROBE_GAP} below the fine-tune arm's best.
 * </ul>
 *
 * A warning with feature shift, or with pixel shift and no probe; info when the probe shows the
 * features transfer anyway (gap below {@value #PROBE_FINE}) and the pixel shift is mild (within
 * twice the limits): a strong pixel shift is worth fixing even when a new head copes, since the
 * inputs are normalised with the source's statistics.
 */
final class DomainShiftRule implements Rule {
  static final double MAX_MEAN_SHIFT = 0.5;
  static final double MAX_STD_RATIO = 1.5;
  static final double MAX_JS = 0.1;
  static final double PROBE_GAP = 0.15;
  static final double PROBE_FINE = 0.05;

  @Override
  public void apply(DiagnosisContext context, List<Finding> findings) {
    SourceStats source = context.input.source();
    SourceStats target =
        context.profile == null
            ? null
            : DataKind.of(context.profile).sourceStats(context.profile).orElse(null);
    List<String> evidence = new ArrayList<>();
    boolean pixelShift = false;
    boolean strongPixelShift = false;
    if (source != null && target != null) {
      double meanShift =
          source.std() > 0 ? Math.abs(target.mean() - source.mean()) / source.std() : Double.NaN;
      double stdRatio = source.std() > 0 ? target.std() / source.std() : Double.NaN;
      double js = Double.NaN;
      double tv = Double.NaN;
      if (source.histogram() != null
          && target.histogram() != null
          && source.histogram().length == target.histogram().length) {
        double[] p = normalise(target.histogram());
        double[] q = normalise(source.histogram());
        if (p != null && q != null) {
          js = jensenShannon(p, q);
          tv = totalVariation(p, q);
        }
      }
      strongPixelShift = meanShift > 2 * MAX_MEAN_SHIFT || js > 2 * MAX_JS;
      pixelShift =
          meanShift > MAX_MEAN_SHIFT
              || stdRatio > MAX_STD_RATIO
              || stdRatio < 1 / MAX_STD_RATIO
              || js > MAX_JS;
      evidence.add(
          "target train pixels mean "
              + Fmt.num(target.mean(), 1)
              + ", std "
              + Fmt.num(target.std(), 1)
              + " vs source mean "
              + Fmt.num(source.mean(), 1)
              + ", std "
              + Fmt.num(source.std(), 1)
              + " (0–255): mean difference "
              + Fmt.num(meanShift, 2)
              + " source stds (limit "
              + MAX_MEAN_SHIFT
              + "), std ratio "
              + Fmt.num(stdRatio, 2)
              + (Double.isNaN(js)
                  ? ""
                  : "; 16-bin histograms: Jensen–Shannon divergence "
                      + Fmt.num(js, 3)
                      + " (limit "
                      + MAX_JS
                      + "), total variation "
                      + Fmt.num(tv, 3)));
    }
    ProbeResults probes = context.input.probes();
    ArmView finetune = context.arm(Arm.FINETUNE);
    EpochMetrics best = finetune == null ? null : finetune.maxValAcc();
    Double gap = null;
    if (probes != null && probes.linearProbeValAcc() != null && best != null) {
      gap = best.valAcc() - probes.linearProbeValAcc();
      evidence.add(
          "probe (a new head trained on the frozen pretrained features with "
              + io.tunelab.training.Probes.PROBE_OPTIMIZER
              + " at lr "
              + io.tunelab.training.Probes.PROBE_LR
              + ", whatever the run's rate): best val accuracy "
              + Fmt.acc(probes.linearProbeValAcc())
              + " vs "
              + Fmt.acc(best.valAcc())
              + " for fine-tuning (epoch "
              + best.epoch()
              + "), gap "
              + Fmt.signed(gap, 3)
              + " (limit "
              + PROBE_GAP
              + ")");
    }
    boolean featureShift = gap != null && gap >= PROBE_GAP;
    if (!pixelShift && !featureShift) {
      return;
    }
    boolean transfersAnyway = gap != null && gap < PROBE_FINE && !strongPixelShift;
    String severity = featureShift || !transfersAnyway ? "warning" : "info";
    String recommendation =
        transfersAnyway
            ? "The pixels differ from the source but the frozen features still transfer (the probe "
                + "is close to fine-tuning); normalising inputs with the target's own mean and std is "
                + "enough."
            : "The pretrained features fit the target poorly: unfreeze more of the backbone "
                + "(--freeze none or gradual) so it can adapt, normalise the target "
                + context.samples.many
                + " to the source's mean/std (or pretrain on data closer to the target), and prefer a "
                + "pretrained model from a closer domain.";
    findings.add(
        new Finding(
            "domain-shift",
            severity,
            Arm.FINETUNE.wire(),
            featureShift
                ? "The pretrained features do not fit the target data"
                : "Target "
                    + context.samples.many
                    + " differ from the pretrained model's source data",
            String.join("; ", evidence),
            recommendation));
  }

  static double[] normalise(long[] counts) {
    double total = 0;
    for (long c : counts) {
      total += c;
    }
    if (total <= 0) {
      return null;
    }
    double[] p = new double[counts.length];
    for (int i = 0; i < counts.length; i++) {
      p[i] = counts[i] / total;
    }
    return p;
  }

  /** Jensen–Shannon divergence in bits, in [0, 1]. */
  static double jensenShannon(double[] p, double[] q) {
    double js = 0;
    for (int i = 0; i < p.length; i++) {
      double m = (p[i] + q[i]) / 2;
      if (p[i] > 0) {
        js += 0.5 * p[i] * Math.log(p[i] / m);
      }
      if (q[i] > 0) {
        js += 0.5 * q[i] * Math.log(q[i] / m);
      }
    }
    return js / Math.log(2);
  }

  /** Total variation distance, in [0, 1]. */
  static double totalVariation(double[] p, double[] q) {
    double tv = 0;
    for (int i = 0; i < p.length; i++) {
      tv += Math.abs(p[i] - q[i]);
    }
    return tv / 2;
  }
}
