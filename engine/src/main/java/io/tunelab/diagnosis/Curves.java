package io.tunelab.diagnosis;

import io.tunelab.workflows.model.EpochMetrics;
import java.util.ArrayList;
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
   * How validation loss behaves after its minimum. Each later epoch is compared with the minimum on
   * the same validation images when both epochs' per-image losses are known (a paired difference,
   * see {@link NoiseBand#lossChange}), else against the unpaired 95% band of the minimum; an epoch
   * counts as "beyond" when its rise exceeds that noise and is at least {@value #MIN_RELATIVE_RISE}
   * of the minimum (a smaller rise changes no decision).
   *
   * @param min the epoch of lowest validation loss
   * @param band half-width of the unpaired 95% band of the validation loss at {@code min}
   * @param onset the first later epoch beyond, or {@code null}
   * @param epochsBeyond later epochs beyond
   * @param after the epochs from {@code min} to the last, inclusive
   * @param lastChange the last epoch's change from the minimum, with its noise
   * @param samples what the evidence calls the samples
   */
  record Rise(
      EpochMetrics min,
      double band,
      EpochMetrics onset,
      int epochsBeyond,
      List<EpochMetrics> after,
      NoiseBand.Change lastChange,
      Samples samples) {

    /** Epochs beyond the noise that make a rise "sustained". */
    static final int SUSTAINED_EPOCHS = 2;

    /**
     * Smallest rise, relative to the minimum, that counts: with thousands of validation images a
     * paired test finds rises of 1–2% "significant", but such a rise neither moves the best
     * checkpoint nor calls for a change of recipe.
     */
    static final double MIN_RELATIVE_RISE = 0.05;

    /**
     * The rise of the arm's validation loss over its trained epochs, or {@code null} with fewer
     * than three.
     */
    static Rise of(ArmView arm) {
      return over(arm, arm.finite());
    }

    /**
     * The rise from the arm's start (epoch 0, {@link ArmView#start}) when the start's validation
     * loss is below every trained epoch's: training never made the model better than it began.
     * {@code null} without a start, with fewer than two trained epochs, or when an epoch beat it.
     */
    static Rise fromStart(ArmView arm) {
      EpochMetrics start = arm.start();
      if (start == null || arm.finite().size() < SUSTAINED_EPOCHS) {
        return null;
      }
      for (EpochMetrics m : arm.finite()) {
        if (m.valLoss() <= start.valLoss()) {
          return null;
        }
      }
      List<EpochMetrics> curve = new ArrayList<>(arm.finite());
      curve.add(0, start);
      return over(arm, curve);
    }

    private static Rise over(ArmView arm, List<EpochMetrics> finite) {
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
      NoiseBand.Change last = null;
      for (int j = best + 1; j < finite.size(); j++) {
        NoiseBand.Change change = arm.band().lossChange(min, finite.get(j));
        last = change;
        if (beyond(change, min)) {
          beyond++;
          if (onset == null) {
            onset = finite.get(j);
          }
        }
      }
      return new Rise(
          min, band, onset, beyond, finite.subList(best, finite.size()), last, arm.samples());
    }

    /**
     * Whether a change from the minimum {@code min} counts as a rise: beyond its noise and the
     * floor.
     */
    static boolean beyond(NoiseBand.Change change, EpochMetrics min) {
      return change.roseBeyondNoise()
          && change.delta() >= MIN_RELATIVE_RISE * Math.abs(min.valLoss());
    }

    EpochMetrics last() {
      return after.get(after.size() - 1);
    }

    /** At least two later epochs beyond the noise, the last among them. */
    boolean sustained() {
      return onset != null
          && epochsBeyond >= SUSTAINED_EPOCHS
          && lastChange != null
          && beyond(lastChange, min);
    }

    /** The last epoch's validation loss minus the minimum. */
    double rise() {
      return last().valLoss() - min.valLoss();
    }

    /**
     * How far the last epoch's rise lies beyond the threshold at which an epoch counts as beyond:
     * its noise or {@value #MIN_RELATIVE_RISE} of the minimum, whichever is larger.
     */
    Strength strength() {
      return lastChange == null
          ? strength(new NoiseBand.Change(rise(), band, false), min)
          : strength(lastChange, min);
    }

    /** How far a change from the minimum {@code min} lies beyond what counts as a rise. */
    static Strength strength(NoiseBand.Change change, EpochMetrics min) {
      double floor = MIN_RELATIVE_RISE * Math.abs(min.valLoss());
      double noise = Double.isNaN(change.halfWidth()) ? 0 : change.halfWidth();
      String name =
          noise >= floor
              ? change.paired() ? "the paired noise" : "the noise band"
              : "the " + Fmt.pct(MIN_RELATIVE_RISE) + " of the minimum that counts as a rise";
      return new Strength(
          change.delta(), Math.max(Math.max(noise, floor), Double.MIN_NORMAL), name);
    }

    /** The rise of the last epoch relative to the minimum. */
    double relativeRise() {
      return min.valLoss() == 0 ? Double.POSITIVE_INFINITY : rise() / Math.abs(min.valLoss());
    }

    /** Evidence: where the minimum is, when the rise left the noise, where it ends. */
    String describe() {
      EpochMetrics last = last();
      double noise = lastChange == null ? band : lastChange.halfWidth();
      String how =
          lastChange != null && lastChange.paired()
              ? "paired 95% noise of the change on the same validation "
                  + samples.many
                  + " ± "
                  + Fmt.loss(noise)
              : "95% band ± " + Fmt.loss(noise);
      return "val loss minimum "
          + Fmt.loss(min.valLoss())
          + " at epoch "
          + min.epoch()
          + "; beyond noise and at least "
          + Fmt.pct(MIN_RELATIVE_RISE)
          + " above it from epoch "
          + (onset == null ? "-" : onset.epoch())
          + " on ("
          + epochsBeyond
          + " of "
          + (after.size() - 1)
          + " later epochs), "
          + Fmt.loss(last.valLoss())
          + " at epoch "
          + last.epoch()
          + " ("
          + Fmt.signed(rise(), 4)
          + ", "
          + Fmt.pct(relativeRise())
          + "; "
          + how
          + "; "
          + strength().describe()
          + "; slope "
          + Fmt.signed(slope(after, EpochMetrics::valLoss), 4)
          + "/epoch)";
    }
  }
}
