package io.tunelab.diagnosis;

import io.tunelab.workflows.model.EpochMetrics;
import java.util.ArrayList;
import java.util.List;

/**
 * A rise of the validation loss that ended: after the lowest loss so far ({@code min}), at least
 * {@value #MIN_EPOCHS} consecutive epochs whose change from it counts as a rise (beyond its noise
 * and at least {@value Curves.Rise#MIN_RELATIVE_RISE} of it, as {@link Curves.Rise} counts), then
 * an epoch back under that threshold ({@code recovery}). A decaying learning rate (cosine, step,
 * plateau) often ends such an episode; the last epochs then look healthy, so a check of how the
 * curve ends sees nothing.
 *
 * @param min the epoch of lowest validation loss before the rise
 * @param onset the first epoch of the rise
 * @param end the last epoch of the rise
 * @param peak the epoch of highest validation loss in the rise
 * @param peakStrength how far the peak's change from {@code min} lies beyond what counts as a rise
 * @param recovery the first epoch after {@code end}, back under the threshold
 */
record Episode(
    EpochMetrics min,
    EpochMetrics onset,
    EpochMetrics end,
    EpochMetrics peak,
    Strength peakStrength,
    EpochMetrics recovery) {

  /**
   * Consecutive epochs beyond that make an episode. One more than a sustained end state needs: a
   * rise that is over after two epochs is one swing up and down, which {@link FluctuationRule}
   * judges (kept harness runs of label noise and class imbalance showed such two-epoch bumps of
   * 11–14% in curves that swing, with no overfitting planted).
   */
  static final int MIN_EPOCHS = 3;

  /** A learning rate at most this fraction of the rate at the onset counts as having fallen. */
  static final double RATE_FELL = 0.9;

  Episode {
    if (onset.epoch() <= min.epoch() || end.epoch() < onset.epoch()) {
      throw new IllegalArgumentException(
          "epochs must run min < onset <= end: " + min.epoch() + ", " + onset.epoch() + ", " + end);
    }
    if (recovery.epoch() <= end.epoch()) {
      throw new IllegalArgumentException(
          "recovery must come after the end: " + recovery.epoch() + " <= " + end.epoch());
    }
  }

  /**
   * The arm's episodes in epoch order. The minimum is the lowest loss so far; a rise that lasts to
   * the last epoch is no episode (that is {@link Curves.Rise}'s end state).
   */
  static List<Episode> of(ArmView arm) {
    List<EpochMetrics> finite = arm.finite();
    List<Episode> episodes = new ArrayList<>();
    EpochMetrics min = null;
    List<EpochMetrics> rising = new ArrayList<>();
    EpochMetrics peak = null;
    NoiseBand.Change peakChange = null;
    for (EpochMetrics m : finite) {
      if (min == null) {
        min = m;
        continue;
      }
      NoiseBand.Change change = arm.band().lossChange(min, m);
      if (Curves.Rise.beyond(change, min)) {
        rising.add(m);
        if (peak == null || m.valLoss() > peak.valLoss()) {
          peak = m;
          peakChange = change;
        }
        continue;
      }
      if (rising.size() >= MIN_EPOCHS) {
        episodes.add(
            new Episode(
                min,
                rising.get(0),
                rising.get(rising.size() - 1),
                peak,
                Curves.Rise.strength(peakChange, min),
                m));
      }
      rising.clear();
      peak = null;
      if (m.valLoss() < min.valLoss()) {
        min = m;
      }
    }
    return episodes;
  }

  /** Whether the learning rate at the recovery is clearly below the rate at the onset. */
  boolean rateFell() {
    return onset.lr() > 0 && recovery.lr() > 0 && recovery.lr() <= RATE_FELL * onset.lr();
  }

  /** What ended the rise, in words, e.g. "as the learning rate fell". */
  String endedBy() {
    if (rateFell()) {
      return "as the learning rate fell";
    }
    return onset.lr() > 0 && recovery.lr() > 0 ? "at an unchanged learning rate" : "";
  }

  /** Evidence: the minimum, the rise and its peak, the recovery and the learning rates. */
  String describe() {
    double rise = peak.valLoss() - min.valLoss();
    return "val loss minimum "
        + Fmt.loss(min.valLoss())
        + " at epoch "
        + min.epoch()
        + "; beyond noise and at least "
        + Fmt.pct(Curves.Rise.MIN_RELATIVE_RISE)
        + " above it from epoch "
        + onset.epoch()
        + " to "
        + end.epoch()
        + ", peak "
        + Fmt.loss(peak.valLoss())
        + " at epoch "
        + peak.epoch()
        + " ("
        + Fmt.signed(rise, 4)
        + ", "
        + Fmt.pct(min.valLoss() == 0 ? 0 : rise / Math.abs(min.valLoss()))
        + "; "
        + peakStrength.describe()
        + "); back under that at epoch "
        + recovery.epoch()
        + " ("
        + Fmt.loss(recovery.valLoss())
        + ", "
        + Fmt.signed(recovery.valLoss() - min.valLoss(), 4)
        + ")"
        + (onset.lr() > 0 && recovery.lr() > 0
            ? "; learning rate "
                + Fmt.lr(onset.lr())
                + " at epoch "
                + onset.epoch()
                + ", "
                + Fmt.lr(recovery.lr())
                + " at epoch "
                + recovery.epoch()
            : "; learning rate not recorded")
        + "; train loss "
        + Fmt.loss(min.trainLoss())
        + " → "
        + Fmt.loss(end.trainLoss())
        + " over the rise; val accuracy "
        + Fmt.acc(min.valAcc())
        + " at epoch "
        + min.epoch()
        + ", "
        + Fmt.acc(peak.valAcc())
        + " at the peak";
  }
}
