package io.tunelab.diagnosis;

import io.tunelab.workflows.model.EpochMetrics;
import io.tunelab.workflows.model.Finding;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * {@code val-fluctuation}: validation loss or accuracy changes direction from epoch to epoch. Over
 * the trained epochs (at least {@value #MIN_EPOCHS}) a reversal is a sign change of the first
 * difference; its swing is the smaller of the two steps around the turn. The rule fires with at
 * least {@value #MIN_REVERSALS} reversals making up at least a third of the possible ones; it is a
 * warning when at least {@value #MIN_REVERSALS} swings, and at least half of the swings, of one
 * metric exceed {@value Strength#CLEAR}× the 95% noise band of the epoch at the turn (a single dip
 * while a model still converges fast is not instability), info otherwise: within the band (noise,
 * nothing to act on) or beyond it by less than {@value Strength#CLEAR}× (at the edge of noise), and
 * on a tiny training split or with {@code label-noise} found, whose causes the swings are.
 */
final class FluctuationRule implements Rule {
  static final int MIN_EPOCHS = 4;
  static final int MIN_REVERSALS = 2;
  static final double MIN_SIGN_CHANGE_FRACTION = 1.0 / 3;

  /** The reversals of one metric's curve. */
  record Swings(
      String metric,
      int steps,
      int reversals,
      int beyond,
      double largest,
      double largestBand,
      List<Integer> turns,
      List<Strength> sizes) {
    double signChangeFraction() {
      return steps < 2 ? 0 : reversals / (double) (steps - 1);
    }

    /**
     * The swing that at least {@value #MIN_REVERSALS} and at least half of the swings reach,
     * against its noise band: the k-th largest by that ratio, k = max(2, ⌈reversals / 2⌉); {@code
     * null} with fewer swings than that.
     */
    Strength strength() {
      int k = Math.max(MIN_REVERSALS, (reversals + 1) / 2);
      if (sizes.size() < k) {
        return null;
      }
      return sizes.stream()
          .sorted(java.util.Comparator.comparingDouble(Strength::ratio).reversed())
          .toList()
          .get(k - 1);
    }

    /**
     * At least {@value #MIN_REVERSALS} swings, and at least half of them, beyond the noise band.
     */
    boolean mostlyBeyond() {
      Strength strength = strength();
      return strength != null && strength.ratio() > 1;
    }

    boolean fluctuates() {
      return reversals >= MIN_REVERSALS && signChangeFraction() >= MIN_SIGN_CHANGE_FRACTION;
    }

    String describe(int decimals) {
      return metric
          + " changed direction "
          + reversals
          + " times in "
          + steps
          + " epoch-to-epoch steps (sign-change fraction "
          + Fmt.num(signChangeFraction(), 2)
          + ", at epochs "
          + turns
          + "); largest swing "
          + Fmt.num(largest, decimals)
          + " vs a noise band of ± "
          + Fmt.num(largestBand, decimals)
          + "; "
          + beyond
          + " of "
          + reversals
          + " swings beyond the band";
    }
  }

  static Swings swings(
      String metric,
      List<EpochMetrics> epochs,
      ToDoubleFunction<EpochMetrics> value,
      ToDoubleFunction<EpochMetrics> band) {
    int steps = epochs.size() - 1;
    int reversals = 0;
    int beyond = 0;
    double largest = 0;
    double largestBand = 0;
    List<Integer> turns = new ArrayList<>();
    List<Strength> sizes = new ArrayList<>();
    for (int i = 1; i + 1 < epochs.size(); i++) {
      double before = value.applyAsDouble(epochs.get(i)) - value.applyAsDouble(epochs.get(i - 1));
      double after = value.applyAsDouble(epochs.get(i + 1)) - value.applyAsDouble(epochs.get(i));
      if (before * after < 0) {
        reversals++;
        turns.add(epochs.get(i).epoch());
        double swing = Math.min(Math.abs(before), Math.abs(after));
        double b = band.applyAsDouble(epochs.get(i));
        sizes.add(new Strength(swing, b > 0 ? b : Double.MIN_NORMAL, "the noise band at the turn"));
        if (swing > b) {
          beyond++;
        }
        if (swing > largest) {
          largest = swing;
          largestBand = b;
        }
      }
    }
    return new Swings(metric, steps, reversals, beyond, largest, largestBand, turns, sizes);
  }

  @Override
  public void apply(DiagnosisContext context, List<Finding> findings) {
    for (ArmView arm : context.arms) {
      if (DiagnosisContext.diverged(findings, arm)) {
        continue;
      }
      List<EpochMetrics> epochs = arm.trained();
      if (epochs.size() < MIN_EPOCHS) {
        continue;
      }
      Swings loss = swings("val loss", epochs, EpochMetrics::valLoss, arm.band()::loss);
      Swings acc = swings("val accuracy", epochs, EpochMetrics::valAcc, arm.band()::acc);
      if (!loss.fluctuates() && !acc.fluctuates()) {
        continue;
      }
      // Beyond noise when most swings of a fluctuating metric are; as strong as the stronger
      // metric.
      Strength strength = null;
      if (loss.fluctuates() && loss.mostlyBeyond()) {
        strength = loss.strength();
      }
      if (acc.fluctuates() && acc.mostlyBeyond()) {
        strength = acc.strength().stronger(strength);
      }
      boolean real = strength != null;
      // An epoch of a tiny training split is a step or two: its swings are those steps', the
      // data's size is the cause (insufficient-data), and the rate need not be lowered.
      boolean tiny = context.tinyTrainingSplit();
      // With label-noise found, mislabelled training samples pull the model back and forth
      // between epochs: a symptom of that finding, whose fix (the labels) is not the rate's.
      boolean noisyLabels =
          !tiny && findings.stream().anyMatch(f -> "label-noise".equals(f.code()));
      List<String> parts = new ArrayList<>();
      if (loss.fluctuates()) {
        parts.add(loss.describe(4));
      }
      if (acc.fluctuates()) {
        parts.add(acc.describe(3));
      }
      String evidence =
          String.join("; ", parts)
              + "; "
              + arm.band().describe()
              + ". "
              + (real
                  ? "The swings exceed the noise the validation set's size explains: at least "
                      + "half of them, and at least "
                      + MIN_REVERSALS
                      + ", reach "
                      + strength.describe()
                      + "."
                  : "The swings stay within the noise the validation set's size explains.")
              + (real && tiny
                  ? " On a training split of "
                      + context.trainSamples()
                      + " "
                      + context.samples.many
                      + " an epoch is a step or two, so the swings are those steps': info (see"
                      + " insufficient-data)."
                  : "")
              + (real && noisyLabels
                  ? " With label-noise found, the mislabelled training "
                      + context.samples.many
                      + " pull the model back and forth from epoch to epoch: info (see"
                      + " label-noise; fix the labels before the rate)."
                  : "");
      double lr = epochs.get(epochs.size() - 1).lr();
      // Where lr-too-high names a rate, the same one: two findings must not give two rates.
      String lower = real ? LearningRateRule.lowerRateAdvice(arm, context) : null;
      String recommendation =
          real
              ? "Training is unstable from epoch to epoch: "
                  + (lower != null
                      ? lower + " (see lr-too-high), or decay it with --schedule cosine / plateau"
                      : "lower the learning rate ("
                          + arm.lrFlag()
                          + (lr > 0 ? " " + Fmt.lr(lr / 3) : "")
                          + ", or --schedule cosine / plateau to decay it)")
                  + ", use a larger batch (--batch-size), and judge by the best checkpoint "
                  + "rather than the last epoch."
              : "Nothing to fix: these swings are what a validation set of this size shows for an "
                  + "unchanged model. Do not read trends into single epochs; a larger validation set "
                  + "narrows the band.";
      findings.add(
          new Finding(
              "val-fluctuation",
              real && !tiny && !noisyLabels ? strength.severity("warning") : "info",
              arm.findingArm(),
              real
                  ? "Validation metrics swing beyond noise from epoch to epoch"
                  : "Validation metrics swing from epoch to epoch, within noise",
              evidence,
              recommendation));
    }
  }
}
