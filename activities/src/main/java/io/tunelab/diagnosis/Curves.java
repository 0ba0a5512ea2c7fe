package io.tunelab.diagnosis;

import io.tunelab.workflows.model.EpochMetrics;
import java.util.List;
import java.util.function.ToDoubleFunction;

/** Small numeric helpers over epoch curves. */
final class Curves {
  private Curves() {}

  /** Least-squares slope of a metric per epoch; 0 for fewer than two points. */
  static double slope(List<EpochMetrics> epochs, ToDoubleFunction<EpochMetrics> metric) {
    int n = epochs.size();
    if (n < 2) {
      return 0;
    }
    double mx = 0;
    double my = 0;
    for (EpochMetrics m : epochs) {
      mx += m.epoch();
      my += metric.applyAsDouble(m);
    }
    mx /= n;
    my /= n;
    double sxy = 0;
    double sxx = 0;
    for (EpochMetrics m : epochs) {
      double dx = m.epoch() - mx;
      sxy += dx * (metric.applyAsDouble(m) - my);
      sxx += dx * dx;
    }
    return sxx == 0 ? 0 : sxy / sxx;
  }

  /**
   * How validation loss behaves after its minimum, judged against the noise band at the minimum.
   *
   * @param min the epoch of lowest validation loss
   * @param band half-width of the 95% band of the validation loss at {@code min}
   * @param onset the first later epoch above {@code min + band}, or {@code null}
   * @param epochsBeyond later epochs above {@code min + band}
   * @param after the epochs from {@code min} to the last, inclusive
   */
  record Rise(EpochMetrics min, double band, EpochMetrics onset, int epochsBeyond,
      List<EpochMetrics> after) {

    /** Epochs above the band that make a rise "sustained". */
    static final int SUSTAINED_EPOCHS = 2;

    /** The rise of the arm's validation loss, or {@code null} with fewer than three epochs. */
    static Rise of(ArmView arm) {
      List<EpochMetrics> finite = arm.finite();
      if (finite.size() < 3) {
        return null;
      }
      int best = 0;
      for (int i = 1; i < finite.size(); i++) {
        if (finite.get(i).valLoss() < finite.get(best).valLoss()) {
          best = i;
        }
      }
      EpochMetrics min = finite.get(best);
      double band = arm.band().loss(min);
      EpochMetrics onset = null;
      int beyond = 0;
      for (int j = best + 1; j < finite.size(); j++) {
        if (finite.get(j).valLoss() > min.valLoss() + band) {
          beyond++;
          if (onset == null) {
            onset = finite.get(j);
          }
        }
      }
      return new Rise(min, band, onset, beyond, finite.subList(best, finite.size()));
    }

    EpochMetrics last() {
      return after.get(after.size() - 1);
    }

    /** At least two later epochs beyond the band, the last among them. */
    boolean sustained() {
      return onset != null && epochsBeyond >= SUSTAINED_EPOCHS
          && last().valLoss() > min.valLoss() + band;
    }

    /** The last epoch's validation loss minus the minimum. */
    double rise() {
      return last().valLoss() - min.valLoss();
    }

    /** Evidence: where the minimum is, when the rise left the band, where it ends. */
    String describe() {
      EpochMetrics last = last();
      return "val loss minimum " + Fmt.loss(min.valLoss()) + " ± " + Fmt.loss(band) + " at epoch "
          + min.epoch() + "; above that band from epoch " + onset.epoch() + " on (" + epochsBeyond
          + " of " + (after.size() - 1) + " later epochs), " + Fmt.loss(last.valLoss())
          + " at epoch " + last.epoch() + " (" + Fmt.signed(rise(), 4) + ", "
          + Fmt.num(rise() / band, 1) + "× the band; slope "
          + Fmt.signed(slope(after, EpochMetrics::valLoss), 4) + "/epoch)";
    }
  }
}
