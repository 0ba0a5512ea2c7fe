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
 *   <li>feature shift: a probe on the frozen pretrained features reaches a validation accuracy at
 *       least {@value #PROBE_GAP} (and twice the gap's noise) below the fine-tune arm's best, and
 *       the sample size does not explain the gap: the same probe on as many of the source's own
 *       held-out samples per class does clearly better ({@link #sampleSizeExplains}), and the
 *       training labels are not the suspect: with {@code label-noise} found, the probe's shortfall
 *       is the labels' as much as the features' ({@link #NOISY_LABELS});
 *   <li>recognition: the pretrained model, unchanged, gets the target's samples of the classes it
 *       shares with the target right at least {@value #RECOGNITION_DROP} (and twice the drop's
 *       noise) less often than its own test samples of those classes ({@link #recognition});
 *   <li>feature statistics: the target moves the inputs of the pretrained network's batch norm from
 *       its running statistics beyond the pixels' limits ({@link #featureStatistics}).
 * </ul>
 *
 * A warning with feature shift, with a clear recognition drop, or with pixel or feature-statistics
 * shift and no probe; info when the probe shows the features transfer anyway (gap below {@value
 * #PROBE_FINE}), the pixel and feature-statistics shifts are mild (within twice the limits) and the
 * fine-tune beat scratch (or there is no scratch arm): a strong shift is worth fixing even when a
 * new head copes, since the inputs are normalised with the source's statistics, and so is one whose
 * fine-tune gains nothing over scratch.
 */
final class DomainShiftRule implements Rule {
  static final double MAX_MEAN_SHIFT = 0.5;
  static final double MAX_STD_RATIO = 1.5;
  static final double MAX_JS = 0.1;
  static final double PROBE_GAP = 0.15;
  static final double PROBE_FINE = 0.05;

  /** The least shortfall of the target's probe below the control's that counts as feature shift. */
  static final double CONTROL_SHORTFALL = 0.15;

  /** Without a control, probes on fewer samples per class than this are not judged. */
  static final int MIN_PER_CLASS_UNCONTROLLED = 20;

  /** The least drop of the pretrained model's accuracy on its own classes that counts as shift. */
  static final double RECOGNITION_DROP = 0.15;

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
    boolean featureShift = false;
    Strength featureStrength = null;
    Double gap = null;
    if (probes != null && probes.linearProbeValAcc() != null && best != null) {
      ProbeResults.FeatureProbe probe = probes.featureProbe();
      gap = best.valAcc() - probes.linearProbeValAcc();
      // The gap's noise: both accuracies are binomial over the probe's validation samples.
      Double gapNoise = null;
      if (probe != null) {
        double f = best.valAcc();
        gapNoise =
            Math.hypot(probe.stdError(), ProbeResults.binomialStdError(f, probe.valSamples()));
      }
      evidence.add(
          "probe (a linear classifier trained on the frozen pretrained features with "
              + io.tunelab.training.Probes.PROBE_OPTIMIZER
              + " at lr "
              + io.tunelab.training.Probes.PROBE_LR
              + ", whatever the run's rate"
              + (probe == null
                  ? ""
                  : ", "
                      + probe.trainSamples()
                      + " "
                      + context.samples.many
                      + ", "
                      + Fmt.num(probe.perClass(), 0)
                      + " per class")
              + "): best val accuracy "
              + Fmt.acc(probes.linearProbeValAcc())
              + " vs "
              + Fmt.acc(best.valAcc())
              + " for fine-tuning (epoch "
              + best.epoch()
              + "), gap "
              + Fmt.signed(gap, 3)
              + (gapNoise == null ? "" : " ± " + Fmt.num(gapNoise, 3))
              + " (limit "
              + PROBE_GAP
              + (gapNoise == null ? "" : " and twice its noise")
              + ")");
      boolean gapBeyondNoise = gap >= PROBE_GAP && (gapNoise == null || gap >= 2 * gapNoise);
      String explained =
          gapBeyondNoise ? sampleSizeExplains(probe, probes.control(), context) : null;
      if (explained != null) {
        evidence.add(explained);
      }
      boolean mislabelled = findings.stream().anyMatch(f -> "label-noise".equals(f.code()));
      if (gapBeyondNoise && mislabelled) {
        evidence.add(NOISY_LABELS);
      }
      featureShift =
          gapBeyondNoise && !mislabelled && (explained == null || !explained.startsWith(EXPLAINED));
      if (featureShift) {
        featureStrength =
            new Strength(
                    gap,
                    gapNoise == null ? PROBE_GAP : Math.max(PROBE_GAP, 2 * gapNoise),
                    "the gap's threshold")
                .weaker(controlStrength(probe, probes.control()));
        evidence.add("the feature evidence at " + featureStrength.describe());
      }
    }
    Strength unrecognised = recognition(probes, context, evidence);
    Strength statistics = featureStatistics(probes, evidence);
    boolean statisticsShift = statistics != null;
    boolean strongStatisticsShift = statisticsShift && statistics.ratio() > 2;
    if (!pixelShift && !featureShift && unrecognised == null && !statisticsShift) {
      return;
    }
    // The probe coping says the frozen features still separate the target; a fine-tune that then
    // gains nothing over scratch says the transfer is worth nothing all the same.
    boolean gainsNothing = Boolean.FALSE.equals(TransferRule.fineTuneGains(context));
    boolean probeCopes =
        gap != null && gap < PROBE_FINE && !strongPixelShift && !strongStatisticsShift;
    boolean transfersAnyway = probeCopes && !gainsNothing;
    if (probeCopes && gainsNothing && (pixelShift || statisticsShift)) {
      evidence.add(
          "the frozen features still separate the target, but fine-tuning gained nothing over "
              + "scratch (see finetune-no-better-than-scratch): the shift costs the transfer its "
              + "gain, so a warning");
    }
    // Pixel shift beyond the limits is a warning unless the features transfer anyway; feature
    // shift alone is a warning only when clearly beyond its thresholds (Strength), and so is a
    // model that no longer recognises its own classes.
    String severity =
        (pixelShift || statisticsShift) && !transfersAnyway
            ? "warning"
            : featureShift ? featureStrength.severity("warning") : "info";
    if (unrecognised != null && unrecognised.clear()) {
      severity = "warning";
    }
    String recommendation =
        transfersAnyway && unrecognised != null
            ? "The pretrained model does not recognise its own classes in the target "
                + context.samples.many
                + ", though its frozen features still separate them (the probe is close to "
                + "fine-tuning), so a new head copes: check how the target was captured or "
                + "prepared (orientation, inversion, scaling) against the source, and fine-tune "
                + "the whole network if the difference is real."
            : transfersAnyway
                ? "The target differs from the source (in its pixels or the network's feature "
                    + "statistics) but the frozen features still transfer (the probe is close to "
                    + "fine-tuning); normalising inputs with the target's own mean and std is enough."
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
                : unrecognised != null && !pixelShift
                    ? "The pretrained model does not recognise its own classes in the target data"
                    : statisticsShift && !pixelShift
                        ? "Target "
                            + context.samples.many
                            + " move the pretrained network's feature statistics away from its"
                            + " source's"
                        : "Target "
                            + context.samples.many
                            + " differ from the pretrained model's source data",
            String.join("; ", evidence),
            recommendation));
  }

  /**
   * The recognition check: the pretrained model, unchanged, on the target's validation samples of
   * the classes it shares with the target, against its own test samples of those classes. A drop of
   * at least {@value #RECOGNITION_DROP} and twice its noise means the model sees its own classes in
   * shifted inputs: direct evidence of shift, which neither new classes (not counted) nor a small
   * training split (not used) can produce. Adds the numbers to {@code evidence} when the check ran.
   *
   * @return the drop's strength against its threshold when beyond it, else {@code null}
   */
  static Strength recognition(
      ProbeResults probes, DiagnosisContext context, List<String> evidence) {
    ProbeResults.Recognition r = probes == null ? null : probes.recognition();
    if (r == null) {
      return null;
    }
    double noise = r.dropStdError();
    evidence.add(
        "the pretrained model as it is, on the "
            + r.sharedClasses()
            + " classes its source task shares with the target: "
            + Fmt.acc(r.targetAcc())
            + " of "
            + r.targetSamples()
            + " target val "
            + context.samples.many
            + " right against "
            + Fmt.acc(r.sourceAcc())
            + " of "
            + r.sourceSamples()
            + " of its own test "
            + context.samples.many
            + ": drop "
            + Fmt.signed(r.drop(), 3)
            + " ± "
            + Fmt.num(noise, 3)
            + " (limit "
            + RECOGNITION_DROP
            + " and twice its noise)");
    if (r.drop() < RECOGNITION_DROP || r.drop() < 2 * noise) {
      return null;
    }
    Strength strength =
        new Strength(r.drop(), Math.max(RECOGNITION_DROP, 2 * noise), "the recognition threshold");
    evidence.add("the recognition evidence at " + strength.describe());
    return strength;
  }

  /**
   * The feature statistics: how far the target's training samples move the inputs of the pretrained
   * network's deepest reachable batch norm from its running statistics (the source's), on the same
   * limits as the pixels: a root-mean-square mean difference above {@value #MAX_MEAN_SHIFT} running
   * standard deviations, or a typical variance ratio above {@value #MAX_STD_RATIO}. The running
   * statistics are the source's only when its own test samples sit within half those limits (the
   * control, when there); else nothing is judged. Adds the numbers to {@code evidence}.
   *
   * @return the stronger of the two distances against its limit when either is beyond it, else
   *     {@code null}
   */
  static Strength featureStatistics(ProbeResults probes, List<String> evidence) {
    ProbeResults.FeatureStats target = probes == null ? null : probes.featureStats();
    if (target == null) {
      return null;
    }
    ProbeResults.FeatureStats control = probes.featureStatsControl();
    boolean sound =
        control == null
            || (control.meanShift() <= MAX_MEAN_SHIFT / 2
                && Math.log(control.varianceRatio()) <= Math.log(MAX_STD_RATIO) / 2);
    evidence.add(
        "feature statistics (inputs of the pretrained network's deepest batch norm reached in "
            + "sequence, "
            + target.channels()
            + " channels, "
            + target.samples()
            + " training samples, against its running statistics): mean difference "
            + Fmt.num(target.meanShift(), 2)
            + " running stds (limit "
            + MAX_MEAN_SHIFT
            + "), typical variance ratio "
            + Fmt.num(target.varianceRatio(), 2)
            + "× (limit "
            + MAX_STD_RATIO
            + "×)"
            + (control == null
                ? ""
                : "; the source's own test samples: "
                    + Fmt.num(control.meanShift(), 2)
                    + " and "
                    + Fmt.num(control.varianceRatio(), 2)
                    + "×"
                    + (sound
                        ? ""
                        : ", beyond half the limits, so the running statistics are not "
                            + "the source's and nothing is judged")));
    if (!sound) {
      return null;
    }
    Strength mean = new Strength(target.meanShift(), MAX_MEAN_SHIFT, "the mean-difference limit");
    Strength variance =
        new Strength(
            Math.log(target.varianceRatio()),
            Math.log(MAX_STD_RATIO),
            "the variance-ratio limit (in logs)");
    Strength stronger = mean.stronger(variance);
    return stronger.ratio() > 1 ? stronger : null;
  }

  /**
   * Why a probe gap is not read as shift when {@code label-noise} was found: the probe learns from
   * the same labels, and mislabelled training samples lower its accuracy as shifted features would,
   * while the control's source labels are clean.
   */
  static final String NOISY_LABELS =
      "not read as feature shift: the probe learned from the training labels that label-noise finds"
          + " mislabelled, which lower its accuracy as shifted features would (the control's labels"
          + " are the source's)";

  /**
   * How the evidence of {@link #sampleSizeExplains} starts when the sample size explains the gap.
   */
  static final String EXPLAINED = "explained by the sample size: ";

  /**
   * Whether a probe's gap below fine-tuning is what the same probe shows at the same sample size
   * where nothing has shifted: the control probe on the source's own held-out samples. The target
   * falls short of the control (accuracy above chance, so that different numbers of classes
   * compare) by at least {@value #CONTROL_SHORTFALL} and twice its noise, or the gap is put down to
   * the sample size. Without a control, a probe on fewer than {@value #MIN_PER_CLASS_UNCONTROLLED}
   * samples per class is not judged.
   *
   * @return the evidence (starting with {@link #EXPLAINED} when the sample size explains the gap),
   *     or {@code null} when there is nothing to add (an older run's probe without sizes)
   */
  static String sampleSizeExplains(
      ProbeResults.FeatureProbe probe,
      ProbeResults.FeatureProbe control,
      DiagnosisContext context) {
    if (probe == null) {
      return null;
    }
    if (control == null) {
      if (probe.perClass() < MIN_PER_CLASS_UNCONTROLLED) {
        return EXPLAINED
            + "a probe on "
            + Fmt.num(probe.perClass(), 0)
            + " "
            + context.samples.many
            + " per class falls short of fine-tuning on any data, and the source's own samples "
            + "were not there to measure by how much (at least "
            + MIN_PER_CLASS_UNCONTROLLED
            + " per class are judged without them)";
      }
      return null;
    }
    double shortfall = control.aboveChance() - probe.aboveChance();
    double noise = Math.hypot(control.aboveChanceStdError(), probe.aboveChanceStdError());
    String numbers =
        "the same probe on the source's own held-out "
            + context.samples.many
            + " ("
            + control.classes()
            + " classes, "
            + Fmt.num(control.perClass(), 0)
            + " per class, validated on "
            + control.valSamples()
            + ") reaches "
            + Fmt.acc(control.valAcc())
            + ", "
            + Fmt.num(control.aboveChance(), 3)
            + " of the way from chance to perfect, against "
            + Fmt.num(probe.aboveChance(), 3)
            + " on the target: shortfall "
            + Fmt.signed(shortfall, 3)
            + " ± "
            + Fmt.num(noise, 3)
            + " (limit "
            + CONTROL_SHORTFALL
            + " and twice its noise)";
    return shortfall >= CONTROL_SHORTFALL && shortfall >= 2 * noise
        ? "control: " + numbers
        : EXPLAINED + numbers;
  }

  /** How far the target's probe falls below the control's, against its threshold; or null. */
  static Strength controlStrength(
      ProbeResults.FeatureProbe probe, ProbeResults.FeatureProbe control) {
    if (probe == null || control == null) {
      return null;
    }
    double noise = Math.hypot(control.aboveChanceStdError(), probe.aboveChanceStdError());
    return new Strength(
        control.aboveChance() - probe.aboveChance(),
        Math.max(CONTROL_SHORTFALL, 2 * noise),
        "the control's threshold");
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
