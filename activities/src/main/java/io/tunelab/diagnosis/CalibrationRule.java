package io.tunelab.diagnosis;

import io.tunelab.workflows.model.EpochMetrics;
import io.tunelab.workflows.model.Finding;
import java.util.List;

/**
 * {@code overconfidence}: validation loss rises beyond its noise band (sustained, see
 * {@link Curves.Rise}) while validation accuracy holds or rises (not below the minimum's
 * accuracy by more than its Wilson half-width), and the expected calibration error worsens by
 * more than {@value #ECE_WORSENING} between the loss minimum and the last epoch. Without
 * per-image predictions ECE cannot be measured; the rule then fires only when accuracy did not
 * fall at all, and says ECE is missing.
 */
final class CalibrationRule implements Rule {
  /** Absolute ECE increase that counts as worse calibration. */
  static final double ECE_WORSENING = 0.02;

  @Override
  public void apply(DiagnosisContext context, List<Finding> findings) {
    for (ArmView arm : context.arms) {
      Finding f = check(arm);
      if (f != null) {
        findings.add(f);
      }
    }
  }

  /** The arm's overconfidence finding, or {@code null}. */
  static Finding check(ArmView arm) {
    Curves.Rise rise = Curves.Rise.of(arm);
    if (rise == null || !rise.sustained()) {
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
    if (pMin != null && pLast != null && pMin.size() > 0 && pLast.size() > 0) {
      ExpectedCalibrationError.Result eMin = ExpectedCalibrationError.of(pMin);
      ExpectedCalibrationError.Result eLast = ExpectedCalibrationError.of(pLast);
      if (eLast.ece() - eMin.ece() <= ECE_WORSENING) {
        return null;
      }
      calibration = "expected calibration error (15 bins) " + Fmt.acc(eMin.ece()) + " at epoch "
          + min.epoch() + " → " + Fmt.acc(eLast.ece()) + " at epoch " + last.epoch()
          + "; at epoch " + last.epoch() + " mean confidence " + Fmt.acc(eLast.meanConfidence())
          + " vs accuracy " + Fmt.acc(eLast.accuracy());
    } else {
      if (dAcc < 0) {
        return null;
      }
      calibration = "no per-image validation predictions, so ECE was not measured; a loss that "
          + "rises while accuracy does not fall means growing confidence on the images it gets wrong";
    }
    String accWords = dAcc > accBand ? "rose beyond its noise" : "held within its noise";
    EpochMetrics bestAcc = arm.maxValAcc();
    String evidence = rise.describe() + "; val accuracy " + accWords + ": "
        + Fmt.acc(min.valAcc()) + " ± " + Fmt.acc(accBand) + " → " + Fmt.acc(last.valAcc()) + " ("
        + Fmt.signed(dAcc, 3) + "); " + calibration + "; " + arm.band().describe();
    String recommendation = "The model gets as many or more images right but grows overconfident "
        + "on the ones it gets wrong, so the loss rises. If you need accuracy, keep the epoch with "
        + "the best val accuracy (epoch " + bestAcc.epoch() + ", " + Fmt.acc(bestAcc.valAcc())
        + ") and calibrate it with temperature scaling on the validation set (one scalar T on the "
        + "logits); if you need trustworthy probabilities, early-stop on val loss (epoch "
        + min.epoch() + ", which tunelab keeps as best) rather than on accuracy. Label smoothing "
        + "or more weight decay (--weight-decay) curb overconfidence during training.";
    return new Finding("overconfidence", "warning", arm.findingArm(),
        "Validation loss rises while validation accuracy holds: the model grows overconfident",
        evidence, recommendation);
  }
}
