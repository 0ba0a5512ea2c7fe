package io.tunelab.diagnosis;

import io.tunelab.workflows.model.EpochMetrics;
import io.tunelab.workflows.model.Finding;
import java.util.List;

/**
 * {@code overconfidence}: validation loss ends above its minimum while validation accuracy holds or
 * rises (not below the minimum's accuracy by more than its Wilson half-width), and the model's
 * confidence outgrows its accuracy: the expected calibration error worsens by more than {@value
 * #ECE_WORSENING} between the loss minimum and the last epoch, beyond the 95% noise of that change
 * (a paired bootstrap over the validation images), or the loss of the images it gets wrong at both
 * epochs rises beyond its paired noise ({@link ConfidentErrors}), with mean confidence above
 * accuracy at the end. The loss rise must be sustained beyond noise (see {@link Curves.Rise}) or at
 * least {@value #MIN_LOSS_RISE} of the minimum; a rise of 5–10% that is neither counts only with
 * the wrong images' paired rise, the sharper of the two measures: the measured worsening of
 * calibration is the evidence that the rise is confidence, not noise. Without per-image predictions
 * ECE cannot be measured; the rule then fires only on a sustained rise with accuracy not falling at
 * all, and says ECE is missing. A warning only when both the loss rise and the stronger calibration
 * measure that counted lie beyond {@value Strength#CLEAR}× their thresholds ({@link Strength});
 * info when either is at the edge of noise (or, for a 5–10% rise, within it).
 */
final class CalibrationRule implements Rule {
  /** Absolute ECE increase that counts as worse calibration. */
  static final double ECE_WORSENING = 0.02;

  /**
   * Relative loss rise that, with calibration measurably worse, is enough: the seed case "val loss
   * up while val accuracy also up" is often a 10–20% rise that a few hundred validation images
   * cannot separate from noise on the loss alone.
   */
  static final double MIN_LOSS_RISE = 0.10;

  /** Bootstrap resamples for the noise of the ECE change. */
  static final int RESAMPLES = 400;

  private static final long SEED = 0xECE5EEDL;

  @Override
  public void apply(DiagnosisContext context, List<Finding> findings) {
    for (ArmView arm : context.arms) {
      if (DiagnosisContext.diverged(findings, arm)) {
        continue;
      }
      Finding f = context.overconfidence(arm);
      if (f != null) {
        findings.add(f);
      }
    }
  }

  /** The arm's overconfidence finding, or {@code null}. */
  static Finding check(ArmView arm) {
    Curves.Rise rise = Curves.Rise.of(arm);
    if (rise == null || rise.after().size() < 2) {
      return null;
    }
    EpochMetrics min = rise.min();
    EpochMetrics last = rise.last();
    double accBand = arm.band().acc(min);
    double dAcc = last.valAcc() - min.valAcc();
    if (dAcc < -accBand) {
      return null;
    }
    EpochPredictions pMin = arm.predictions().get(min.epoch());
    EpochPredictions pLast = arm.predictions().get(last.epoch());
    String calibration;
    // The finding rests on the loss rise and on the worse calibration: it is as strong as the
    // weaker of the two, and calibration as strong as the stronger measure that counted.
    Strength strength = rise.strength();
    if (pMin != null && pLast != null && pMin.size() > 0 && pMin.size() == pLast.size()) {
      boolean largeRise = rise.sustained() || rise.relativeRise() >= MIN_LOSS_RISE;
      if (!largeRise && !(rise.relativeRise() >= Curves.Rise.MIN_RELATIVE_RISE)) {
        return null;
      }
      ExpectedCalibrationError.Result eMin = ExpectedCalibrationError.of(pMin);
      ExpectedCalibrationError.Result eLast = ExpectedCalibrationError.of(pLast);
      double worsening = eLast.ece() - eMin.ece();
      double noise = eceChangeNoise(pMin, pLast);
      boolean eceWorse = worsening > ECE_WORSENING && worsening > noise;
      ConfidentErrors errors = ConfidentErrors.of(pMin, pLast);
      // The wrong images' paired loss rise is enough for any rise of 5% or more; ECE alone, the
      // blunter measure, only for a large one.
      boolean worse = errors.grewBeyondNoise() || (largeRise && eceWorse);
      if (!worse || eLast.meanConfidence() <= eLast.accuracy()) {
        return null;
      }
      Strength measured = errors.grewBeyondNoise() ? errors.strength() : null;
      if (largeRise && eceWorse) {
        Strength ece =
            noise >= ECE_WORSENING
                ? new Strength(worsening, noise, "the ECE change's paired noise")
                : new Strength(
                    worsening,
                    ECE_WORSENING,
                    "the " + Fmt.num(ECE_WORSENING, 2) + " ECE worsening that counts");
        measured = ece.stronger(measured);
      }
      strength = strength.weaker(measured);
      calibration =
          "expected calibration error (15 bins) "
              + Fmt.acc(eMin.ece())
              + " at epoch "
              + min.epoch()
              + " → "
              + Fmt.acc(eLast.ece())
              + " at epoch "
              + last.epoch()
              + " ("
              + Fmt.signed(worsening, 3)
              + ", paired bootstrap noise ± "
              + Fmt.acc(noise)
              + "); at epoch "
              + last.epoch()
              + " mean confidence "
              + Fmt.acc(eLast.meanConfidence())
              + " vs accuracy "
              + Fmt.acc(eLast.accuracy())
              + (errors.grewBeyondNoise()
                  ? "; "
                      + errors.describe(min.epoch(), last.epoch(), arm.samples())
                      + ": it is more confidently wrong on the "
                      + arm.samples().many
                      + " it gets wrong"
                  : "");
    } else {
      if (!rise.sustained() || dAcc < 0) {
        return null;
      }
      calibration =
          "no per-"
              + arm.samples().one
              + " validation predictions, so ECE was not measured; a loss that rises while "
              + "accuracy does not fall means growing confidence on the "
              + arm.samples().many
              + " it gets wrong";
    }
    String accWords = dAcc > accBand ? "rose beyond its noise" : "held within its noise";
    EpochMetrics bestAcc = arm.maxValAcc();
    String evidence =
        rise.describe()
            + "; val accuracy "
            + accWords
            + ": "
            + Fmt.acc(min.valAcc())
            + " ± "
            + Fmt.acc(accBand)
            + " → "
            + Fmt.acc(last.valAcc())
            + " ("
            + Fmt.signed(dAcc, 3)
            + "); "
            + calibration
            + "; the weaker evidence is "
            + strength.describe()
            + "; "
            + arm.band().describe();
    String recommendation =
        "The model gets as many or more "
            + arm.samples().many
            + " right but grows overconfident "
            + "on the ones it gets wrong, so the loss rises. If you need accuracy, keep the epoch with "
            + "the best val accuracy (epoch "
            + bestAcc.epoch()
            + ", "
            + Fmt.acc(bestAcc.valAcc())
            + ") and calibrate it with temperature scaling on the validation set (one scalar T on the "
            + "logits); if you need trustworthy probabilities, early-stop on val loss (epoch "
            + min.epoch()
            + ", which tunelab keeps as best) rather than on accuracy. Label smoothing "
            + "or more weight decay (--weight-decay) curb overconfidence during training.";
    return new Finding(
        "overconfidence",
        strength.severity("warning"),
        arm.findingArm(),
        "Validation loss rises while validation accuracy holds: the model grows overconfident",
        evidence,
        recommendation);
  }

  /**
   * Half-width of the 95% interval of ECE(last) − ECE(min) from a paired bootstrap: the same
   * resampled images for both epochs. Deterministic.
   */
  static double eceChangeNoise(EpochPredictions a, EpochPredictions b) {
    int n = a.size();
    java.util.SplittableRandom random = new java.util.SplittableRandom(SEED);
    int[] sample = new int[n];
    double sum = 0;
    double sumSq = 0;
    for (int r = 0; r < RESAMPLES; r++) {
      for (int k = 0; k < n; k++) {
        sample[k] = random.nextInt(n);
      }
      double d = ExpectedCalibrationError.ece(b, sample) - ExpectedCalibrationError.ece(a, sample);
      sum += d;
      sumSq += d * d;
    }
    return NoiseBand.Z * Math.sqrt(NoiseBand.sampleVariance(sum, sumSq, RESAMPLES));
  }
}
