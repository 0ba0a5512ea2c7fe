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
      reasons.add("there is no p-value (" + c.method() + ")");
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
   * The seeds that would likely separate a lead of {@code delta} from the noise: the fewest for
   * which a paired t-test's 95% half-width, t(n−1)·√2·sd/√n (the difference of two runs spreads by
   * √2·sd), falls below the lead; at least one more than now, at most 20, and 3 when sd is unknown.
   */
  static int seedsNeeded(double delta, double sd, int current) {
    if (!Double.isFinite(sd)) {
      return Math.max(3, current + 1);
    }
    for (int n = Math.max(2, current + 1); n < 20; n++) {
      if (Interval.criticalT(n - 1) * Math.sqrt(2) * sd / Math.sqrt(n) < Math.abs(delta)) {
        return n;
      }
    }
    return 20;
  }
}
