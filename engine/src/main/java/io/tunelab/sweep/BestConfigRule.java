package io.tunelab.sweep;

import java.util.List;
import java.util.Optional;

/**
 * {@code best-config} (info): which config has the highest mean test accuracy, by how much it leads
 * the runner-up, the p-value of that lead and whether it is clear.
 */
final class BestConfigRule implements SweepRule {
  @Override
  public List<SweepFinding> apply(SweepAnalysis sweep) {
    Optional<ConfigResult> found = sweep.bestConfig();
    if (found.isEmpty()) {
      return List.of();
    }
    ConfigResult best = found.get();
    Optional<ConfigComparison> runnerUp = sweep.runnerUp();
    if (runnerUp.isEmpty()) {
      return List.of(alone(sweep, best));
    }
    ConfigComparison c = runnerUp.get();
    ConfigResult second = sweep.config(c.b());
    Optional<String> doubt = Lead.doubt(sweep, c);
    long beaten = sweep.comparisons().stream().filter(x -> Lead.doubt(sweep, x).isEmpty()).count();
    String evidence =
        "Mean test accuracy "
            + Fmt.interval(best.testAcc())
            + " against "
            + Fmt.interval(second.testAcc())
            + " for the runner-up "
            + second.name()
            + ": lead "
            + Fmt.delta(c.delta())
            + ". "
            + doubt
                .map(d -> "Not sure: " + d + ".")
                .orElse(
                    "Sure: "
                        + pValue(c)
                        + ", significant at 0.05, and the mean lies outside the runner-up's"
                        + " interval.")
            + " It clearly beats "
            + beaten
            + " of the "
            + sweep.comparisons().size()
            + " other ranked configs.";
    String recommendation =
        doubt.isEmpty()
            ? "Use " + best.flags() + " (" + best.name() + ") for this data."
            : "Treat "
                + best.name()
                + " as a candidate, not a verdict: rerun the sweep with --seeds "
                + Lead.seedsNeeded(c.delta(), sweep.pooledSeedSd(), best.testAcc().n())
                + " to separate it from "
                + second.name()
                + ".";
    return List.of(
        new SweepFinding(
            SweepFinding.BEST_CONFIG,
            "info",
            List.of(best.config()),
            cap(best.name())
                + " is best on test accuracy, "
                + Fmt.delta(c.delta())
                + " over config "
                + second.config()
                + (doubt.isEmpty() ? ": a clear lead" : ": not yet a clear lead"),
            evidence,
            recommendation));
  }

  /** The finding when no other config has a completed run to compare with. */
  private static SweepFinding alone(SweepAnalysis sweep, ConfigResult best) {
    long others = sweep.configs().size() - 1L;
    return new SweepFinding(
        SweepFinding.BEST_CONFIG,
        "info",
        List.of(best.config()),
        cap(best.name())
            + " is best: "
            + (others == 0 ? "the only config" : "the only config with a completed run"),
        "Mean test accuracy "
            + Fmt.interval(best.testAcc())
            + (others == 0
                ? "; nothing to compare with."
                : "; none of the other "
                    + others
                    + " configs completed a run, so no comparison is possible."),
        others == 0
            ? "Vary a flag (--vary FLAG=V1,V2) to compare settings."
            : "Use "
                + best.flags()
                + "; see the other configs' member runs for why they did not complete.");
  }

  /** {@code p = 0.012 (paired t-test over 3 seeds)}, or why there is none. */
  static String pValue(ConfigComparison c) {
    return Double.isFinite(c.pValue())
        ? "p = " + Fmt.p(c.pValue()) + " (" + c.method() + ")"
        : c.method();
  }

  static String cap(String s) {
    return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }
}
