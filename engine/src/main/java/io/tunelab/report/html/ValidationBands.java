package io.tunelab.report.html;

import io.tunelab.diagnosis.EpochPredictions;
import io.tunelab.diagnosis.NoiseBand;
import io.tunelab.workflows.model.EpochMetrics;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * The 95% noise bands of one arm's validation curves, per epoch, from {@link NoiseBand}: for
 * accuracy the Wilson interval for the validation set's size; for loss the bootstrap over the
 * epoch's per-image validation losses when its predictions are stored and finite, otherwise no band
 * (NaN).
 *
 * @param accLow lower edge of the accuracy band per epoch row
 * @param accHigh upper edge of the accuracy band per epoch row
 * @param lossLow lower edge of the loss band per epoch row
 * @param lossHigh upper edge of the loss band per epoch row
 * @param size the validation images behind the bands (0 when unknown: no accuracy band)
 * @param lossBands how many epochs have a loss band
 */
record ValidationBands(
    double[] accLow,
    double[] accHigh,
    double[] lossLow,
    double[] lossHigh,
    int size,
    int lossBands) {

  /** The bands of an arm; {@code predictions} gives an epoch's stored predictions or null. */
  static ValidationBands of(
      RunView.Arm arm, int validationSize, IntFunction<EpochPredictions> predictions) {
    int rows = arm.epochs().size();
    double[] accLow = nan(rows);
    double[] accHigh = nan(rows);
    double[] lossLow = nan(rows);
    double[] lossHigh = nan(rows);
    Map<Integer, EpochPredictions> usable = new HashMap<>();
    for (EpochMetrics e : arm.epochs()) {
      EpochPredictions p = predictions.apply(e.epoch());
      if (e.epoch() >= 0 && p != null && p.size() >= 2 && allFinite(p.loss())) {
        usable.put(e.epoch(), p);
      }
    }
    NoiseBand band = new NoiseBand(validationSize, usable);
    int size = 0;
    int losses = 0;
    for (int i = 0; i < rows; i++) {
      EpochMetrics e = arm.epochs().get(i);
      boolean known = validationSize > 0 || usable.containsKey(e.epoch());
      if (known && Double.isFinite(e.valAcc())) {
        int n = band.size(e.epoch());
        NoiseBand.Interval wilson = NoiseBand.wilson(e.valAcc(), n);
        accLow[i] = wilson.low();
        accHigh[i] = wilson.high();
        size = Math.max(size, n);
      }
      if (usable.containsKey(e.epoch()) && Double.isFinite(e.valLoss())) {
        double half =
            band.loss(
                new EpochMetrics(
                    e.epoch(),
                    e.trainLoss(),
                    e.trainAcc(),
                    e.valLoss(),
                    e.valAcc(),
                    e.lr(),
                    e.seconds()));
        if (Double.isFinite(half)) {
          lossLow[i] = Math.max(0, e.valLoss() - half);
          lossHigh[i] = e.valLoss() + half;
          losses++;
        }
      }
    }
    return new ValidationBands(accLow, accHigh, lossLow, lossHigh, size, losses);
  }

  private static double[] nan(int n) {
    double[] a = new double[n];
    Arrays.fill(a, Double.NaN);
    return a;
  }

  private static boolean allFinite(float[] values) {
    for (float v : values) {
      if (!Float.isFinite(v)) {
        return false;
      }
    }
    return true;
  }
}
