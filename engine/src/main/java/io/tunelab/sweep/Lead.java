package io.tunelab.sweep;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Whether the best config's lead over another is clear: significant at 0.05 and outside the other
 * config's seed-to-seed interval. Shared by the best-config and no-clear-winner rules so that they
 * never disagree.
 */
final class Lead {
  private Lead() {}

  /** Why the lead of comparison {@code c} is not clear, or empty when it is. */
  static Optional<String> doubt(SweepAnalysis sweep, ConfigComparison c) {
    List<String> reasons = new ArrayList<>();
    if (!Double.isFinite(c.pValue())) {
      reasons.add("there is no p-value");
    } else if (!c.significant()) {
      reasons.add(
          "p = " + Fmt.p(c.pValue()) + " ≥ " + ConfigComparison.ALPHA + " (" + c.method() + ")");
    }
    ConfigResult a = sweep.config(c.a());
    ConfigResult b = sweep.config(c.b());
    if (b.testAcc().known() && a.testAcc().mean() <= b.testAcc().high()) {
      reasons.add(
          "config "
              + c.a()
              + "'s mean "
              + Fmt.acc(a.testAcc().mean())
              + " lies inside config "
              + c.b()
              + "'s seed-to-seed interval ["
              + Fmt.acc(b.testAcc().low())
              + ", "
              + Fmt.acc(b.testAcc().high())
              + "]");
    }
    return reasons.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", reasons));
  }

  /**
   * The seeds that would likely separate a lead of {@code delta} from the noise: enough for a
   * paired t-test to reach p < 0.05 when the runs' seed-to-seed SD is {@code sd} (differences of
   * two runs spread by √2·sd), at least one more than now and at most 20; 3 when sd is unknown.
   */
  static int seedsNeeded(double delta, double sd, int current) {
    if (!Double.isFinite(sd)) {
      return Math.max(3, current + 1);
    }
    double ratio = 2.5 * Math.sqrt(2) * sd / Math.max(Math.abs(delta), 1e-9);
    long n = (long) Math.ceil(ratio * ratio);
    return (int) Math.max(current + 1, Math.min(20, n));
  }
}
