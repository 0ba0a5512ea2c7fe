package io.tunelab.diagnosis;

import io.tunelab.workflows.model.EpochMetrics;
import io.tunelab.workflows.model.Finding;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * {@code lr-too-high}: the optimiser overshoots.
 *
 * <ul>
 *   <li>critical: a loss is NaN or infinite, the arm failed saying it diverged, or training loss
 *       ends above ln(classes) (worse than guessing) and more than {@value #MIN_DIVERGING_RISE}
 *       (relative) above its first epoch;
 *   <li>warning: an explosion: an epoch's mean training loss above {@value #EXPLODED_OF_LN_K} ×
 *       ln(classes);
 *   <li>warning: a spike: training loss up by more than {@value #TRAIN_SPIKE} (relative) from one
 *       epoch to the next and by more than both {@value #TRAIN_SPIKE_OF_LN_K} × ln(classes) and the
 *       noise of a mean over the training images (the analytic band of {@link NoiseBand} for the
 *       training-set size, times √2 for a difference of two means), or validation loss up by more
 *       than {@value #VAL_SPIKE_BANDS}× its noise band and by more than {@value
 *       #VAL_SPIKE_RELATIVE} (relative) in one epoch; info instead when the training split is under
 *       {@value #TINY_TRAIN} samples and nothing but validation spikes backs it.
 * </ul>
 *
 * The recommended rate comes from the learning-rate range test when it ran (the smaller of the rate
 * of steepest descent and a tenth of the rate of lowest loss, kept below the current rate), else a
 * tenth of the rate in use at the first sign of trouble.
 */
final class LearningRateRule implements Rule {
  /**
   * Relative rise of the epoch's mean training loss that counts as a spike: a quarter, since
   * augmentation, dropout and batch order move a healthy epoch mean by several percent.
   */
  static final double TRAIN_SPIKE = 0.25;

  /**
   * Absolute floor for a training-loss spike, as a fraction of ln(classes) (the loss of guessing):
   * late in training relative jumps of tiny losses (0.01 → 0.014) mean nothing.
   */
  static final double TRAIN_SPIKE_OF_LN_K = 0.05;

  /**
   * An epoch whose mean training loss exceeds this many times ln(classes) exploded: a network
   * starts near ln(classes) (a new head guesses), so a mean far above it means steps so large that
   * predictions became confidently wrong (seen: 27 with Adam at 0.05 on five classes).
   */
  static final double EXPLODED_OF_LN_K = 3;

  /**
   * A fine-tune's first epoch whose mean training loss exceeds this many times ln(classes) undid
   * its start: the pretrained features already fit and the new head begins near ln(classes), so the
   * loss should fall from the first steps (healthy Fashion-MNIST fine-tunes: 0.4–0.6 × ln K); a
   * mean well above guessing means the steps threw the features away (seen: 1.37 × ln 5 for a
   * converged c3d fine-tuned with SGD at the 0.005 it was pretrained with). Supporting evidence
   * only: sound fine-tunes of noisy, tiny or shifted targets start there too.
   */
  static final double FINETUNE_START_OF_LN_K = 1.25;

  /**
   * Below this many training samples an epoch's mean training loss is too noisy for spikes and the
   * first-epoch start (the harness: 40 images in 2 batches swung 3.5 → 5.3 at Adam 0.001).
   */
  static final int TINY_TRAIN = 100;

  /**
   * How far above its first epoch a training loss above ln(classes) must end to count as
   * divergence: a loss that hovers at guessing level under a rate too low to learn moves a few
   * percent from epoch to epoch (digits at sgd 1e-5: 2.21, 2.17, 2.24, +1.5%).
   */
  static final double MIN_DIVERGING_RISE = 0.10;

  /** What counts as exploded on a tiny training split: far beyond its swings. */
  static final double TINY_EXPLODED_OF_LN_K = 10;

  static final double VAL_SPIKE_BANDS = 3;
  static final double VAL_SPIKE_RELATIVE = 0.5;

  @Override
  public void apply(DiagnosisContext context, List<Finding> findings) {
    for (ArmView arm : context.arms) {
      Finding f = check(arm, context);
      if (f != null) {
        findings.add(f);
      }
    }
  }

  /** Whether the arm diverged (NaN/inf losses, or its error says so). */
  static boolean diverged(ArmView arm) {
    String error = arm.result().error();
    return arm.epochs().stream().anyMatch(EpochMetrics::diverged)
        || (error != null && error.toLowerCase(Locale.ROOT).contains("diverg"));
  }

  private static Trouble trouble(ArmView arm, DiagnosisContext context) {
    List<EpochMetrics> trained = arm.epochs().stream().filter(m -> m.epoch() >= 1).toList();
    EpochMetrics nan =
        arm.epochs().stream().filter(EpochMetrics::diverged).findFirst().orElse(null);
    String error = arm.result().error();
    List<String> evidence = new ArrayList<>();
    boolean critical = false;
    double troubleLr = Double.NaN;
    if (nan != null) {
      critical = true;
      troubleLr = nan.lr();
      evidence.add(
          "epoch "
              + nan.epoch()
              + ": train loss "
              + nan.trainLoss()
              + ", val loss "
              + nan.valLoss()
              + " at learning rate "
              + Fmt.lr(nan.lr()));
    }
    if (error != null && error.toLowerCase(Locale.ROOT).contains("diverg")) {
      critical = true;
      evidence.add("the arm failed: " + error);
    }
    List<EpochMetrics> finite = trained.stream().filter(m -> !m.diverged()).toList();
    int trainImages = context.trainSamples();
    // An epoch of a tiny training split is the mean of a few batches, with dropout and
    // augmentation: it swings by multiples of ln K at a sound rate, so only far larger losses and
    // the validation loss count there.
    boolean tiny = context.tinyTrainingSplit();
    double exploded = tiny ? TINY_EXPLODED_OF_LN_K : EXPLODED_OF_LN_K;
    if (!critical && finite.size() >= 3 && context.numClasses >= 2) {
      EpochMetrics first = finite.get(0);
      EpochMetrics last = finite.get(finite.size() - 1);
      double lnK = Math.log(context.numClasses);
      if (last.trainLoss() > (1 + MIN_DIVERGING_RISE) * first.trainLoss()
          && last.trainLoss() > (tiny ? exploded * lnK : lnK)) {
        critical = true;
        troubleLr = last.lr();
        evidence.add(
            "train loss diverges: "
                + Fmt.loss(first.trainLoss())
                + " at epoch "
                + first.epoch()
                + " → "
                + Fmt.loss(last.trainLoss())
                + " at epoch "
                + last.epoch()
                + ", above ln("
                + context.numClasses
                + ") = "
                + Fmt.loss(lnK)
                + ", the loss of guessing");
      }
    }
    if (context.numClasses >= 2) {
      double lnK = Math.log(context.numClasses);
      for (EpochMetrics m : finite) {
        if (m.trainLoss() > exploded * lnK) {
          evidence.add(
              "epoch "
                  + m.epoch()
                  + ": mean train loss "
                  + Fmt.loss(m.trainLoss())
                  + ", "
                  + Fmt.num(m.trainLoss() / lnK, 1)
                  + "× ln("
                  + context.numClasses
                  + ") = "
                  + Fmt.loss(lnK)
                  + " (the loss of guessing): the steps overshoot (lr "
                  + Fmt.lr(m.lr())
                  + ")");
          troubleLr = Double.isNaN(troubleLr) ? m.lr() : troubleLr;
          break;
        }
      }
    }
    boolean startOnly = false;
    if (!tiny && arm.isFinetune() && context.numClasses >= 2 && !finite.isEmpty()) {
      double lnK = Math.log(context.numClasses);
      EpochMetrics first = finite.get(0);
      if (first.epoch() == 1
          && first.trainLoss() > FINETUNE_START_OF_LN_K * lnK
          && first.trainLoss() <= EXPLODED_OF_LN_K * lnK) {
        evidence.add(
            "epoch 1 of the fine-tune: mean train loss "
                + Fmt.loss(first.trainLoss())
                + ", "
                + Fmt.num(first.trainLoss() / lnK, 2)
                + "× ln("
                + context.numClasses
                + ") = "
                + Fmt.loss(lnK)
                + " (the loss of guessing), where pretrained features and a new head start near"
                + " it and fall: the steps undo what pretraining learned (lr "
                + Fmt.lr(first.lr())
                + "; a converged model needs a smaller rate than the one it was trained with)");
        troubleLr = Double.isNaN(troubleLr) ? first.lr() : troubleLr;
        startOnly = evidence.size() == 1;
      }
    }
    int valSpikes = 0;
    for (int i = 1; i < finite.size(); i++) {
      EpochMetrics prev = finite.get(i - 1);
      EpochMetrics cur = finite.get(i);
      // A spike right after the rate was cut is the doing of the rate before the cut: the
      // smaller steps cannot throw the model further than the larger ones left it.
      double spikeLr = Math.max(prev.lr(), cur.lr());
      String spikeRate =
          cur.lr() < prev.lr()
              ? "lr " + Fmt.lr(cur.lr()) + " after " + Fmt.lr(prev.lr())
              : "lr " + Fmt.lr(cur.lr());
      double trainJump = cur.trainLoss() - prev.trainLoss();
      double trainNoise =
          trainImages == 0
              ? 0
              : Math.sqrt(2)
                  * NoiseBand.analyticLossHalfWidth(prev.trainLoss(), prev.trainAcc(), trainImages);
      double floor =
          context.numClasses >= 2 ? TRAIN_SPIKE_OF_LN_K * Math.log(context.numClasses) : 0;
      if (!tiny
          && cur.trainLoss() > prev.trainLoss() * (1 + TRAIN_SPIKE)
          && trainJump > floor
          && trainJump > trainNoise) {
        evidence.add(
            "train loss "
                + Fmt.loss(prev.trainLoss())
                + " → "
                + Fmt.loss(cur.trainLoss())
                + " at epoch "
                + cur.epoch()
                + " ("
                + Fmt.signed(100 * (cur.trainLoss() / prev.trainLoss() - 1), 0)
                + "%, "
                + spikeRate
                + ")");
        troubleLr = Double.isNaN(troubleLr) ? spikeLr : troubleLr;
      }
      double band = arm.band().loss(prev);
      double jump = cur.valLoss() - prev.valLoss();
      if (jump > VAL_SPIKE_BANDS * band
          && cur.valLoss() > prev.valLoss() * (1 + VAL_SPIKE_RELATIVE)) {
        valSpikes++;
        evidence.add(
            "val loss spike "
                + Fmt.loss(prev.valLoss())
                + " → "
                + Fmt.loss(cur.valLoss())
                + " at epoch "
                + cur.epoch()
                + " ("
                + Fmt.num(jump / band, 1)
                + "× its ± "
                + Fmt.loss(band)
                + " noise band, "
                + spikeRate
                + ")");
        troubleLr = Double.isNaN(troubleLr) ? spikeLr : troubleLr;
      }
    }
    // A high first epoch alone is no finding: fine-tunes of label-noisy, tiny or shifted targets
    // at a sound rate start there too (1.3–1.8 × ln K in the diagnosis harness); it supports
    // spikes or divergence.
    if (evidence.isEmpty() || (startOnly && evidence.size() == 1)) {
      return null;
    }
    if (!(troubleLr > 0) && !trained.isEmpty()) {
      troubleLr = trained.get(0).lr();
    }
    // On a tiny split an epoch is a step or two of a model that memorises a handful of samples:
    // its validation loss jumps whenever it grows confidently wrong, at a sound rate too, so a
    // validation jump that nothing else backs is as much the data's doing as the rate's.
    boolean weak = tiny && !critical && valSpikes == evidence.size();
    if (weak) {
      evidence.add(
          "on "
              + trainImages
              + " training samples (under "
              + TINY_TRAIN
              + ") an epoch is a step or two and nothing but the validation loss jumped: as much "
              + "the few samples' doing as the rate's, so info");
    }
    return new Trouble(evidence, critical, weak, troubleLr);
  }

  /**
   * What the curves show of a rate too high: the evidence, how bad (critical; weak: info), and the
   * rate at fault.
   */
  private record Trouble(List<String> evidence, boolean critical, boolean weak, double lr) {}

  private static Finding check(ArmView arm, DiagnosisContext context) {
    Trouble trouble = trouble(arm, context);
    if (trouble == null) {
      return null;
    }
    return new Finding(
        "lr-too-high",
        trouble.critical() ? "critical" : trouble.weak() ? "info" : "warning",
        arm.findingArm(),
        trouble.critical()
            ? "Training diverged: the learning rate is too high"
            : "Loss spikes: the learning rate is too high",
        String.join("; ", trouble.evidence()),
        lowerTo(arm, context, trouble.lr())
            + ". A warm-up or a "
            + "decaying schedule (--schedule cosine) and gradient clipping also tame spikes; "
            + "with adam/adamw, rates around 1e-3 or below are usual.");
  }

  /**
   * The advice to lower the arm's learning rate, with the rate to use, when this rule finds it too
   * high, or {@code null}: other rules whose usual advice would be to raise it give this instead.
   */
  static String lowerRateAdvice(ArmView arm, DiagnosisContext context) {
    Trouble trouble = trouble(arm, context);
    return trouble == null ? null : lowerTo(arm, context, trouble.lr());
  }

  private static String lowerTo(ArmView arm, DiagnosisContext context, double troubleLr) {
    return "Lower the learning rate: "
        + arm.lrFlag()
        + " "
        + suggest(context.input.probes(), troubleLr);
  }

  /** The recommended learning rate and why, in words. */
  static String suggest(ProbeResults probes, double current) {
    Double fromRange = probes == null ? null : fromRangeTest(probes.lrRange());
    if (fromRange != null && (!(current > 0) || fromRange < current)) {
      return Fmt.lr(fromRange) + " (" + rangeWords(probes.lrRange()) + ")";
    }
    if (current > 0) {
      return Fmt.lr(current / 10)
          + " (a tenth of the "
          + Fmt.lr(current)
          + " in use"
          + (fromRange != null
              ? "; the range test's suggestion " + Fmt.lr(fromRange) + " is not below it"
              : "")
          + ")";
    }
    return "about a tenth of the current rate";
  }

  /**
   * The range test's suggestion: min(rate of steepest loss descent per log-rate, a tenth of the
   * rate of lowest loss), or {@code null} with fewer than three finite points.
   */
  static Double fromRangeTest(List<ProbeResults.LrPoint> range) {
    if (range == null) {
      return null;
    }
    List<ProbeResults.LrPoint> points =
        range.stream()
            .filter(p -> p.lr() > 0 && Double.isFinite(p.loss()))
            .sorted(Comparator.comparingDouble(ProbeResults.LrPoint::lr))
            .toList();
    if (points.size() < 3) {
      return null;
    }
    ProbeResults.LrPoint lowest =
        points.stream().min(Comparator.comparingDouble(ProbeResults.LrPoint::loss)).orElseThrow();
    double steepest = Double.NaN;
    double steepestSlope = Double.POSITIVE_INFINITY;
    for (int i = 0; i + 1 < points.size(); i++) {
      ProbeResults.LrPoint a = points.get(i);
      ProbeResults.LrPoint b = points.get(i + 1);
      double slope = (b.loss() - a.loss()) / (Math.log(b.lr()) - Math.log(a.lr()));
      if (slope < steepestSlope) {
        steepestSlope = slope;
        steepest = a.lr();
      }
    }
    double tenth = lowest.lr() / 10;
    return Double.isNaN(steepest) || steepestSlope >= 0 ? tenth : Math.min(steepest, tenth);
  }

  private static String rangeWords(List<ProbeResults.LrPoint> range) {
    List<ProbeResults.LrPoint> points =
        range.stream()
            .filter(p -> p.lr() > 0 && Double.isFinite(p.loss()))
            .sorted(Comparator.comparingDouble(ProbeResults.LrPoint::lr))
            .toList();
    ProbeResults.LrPoint lowest =
        points.stream().min(Comparator.comparingDouble(ProbeResults.LrPoint::loss)).orElseThrow();
    return "learning-rate range test over "
        + points.size()
        + " rates: lowest loss "
        + Fmt.loss(lowest.loss())
        + " at "
        + Fmt.lr(lowest.lr())
        + "; the smaller of the steepest-descent rate and a tenth of that";
  }
}
