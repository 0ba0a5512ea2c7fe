package io.tunelab.sweep;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code no-clear-winner} (warning): the best config's lead over the runner-up is not significant
 * at 0.05, or the best's mean lies within the runner-up's seed-to-seed interval. Lists the best and
 * every config it does not clearly beat.
 */
final class NoClearWinnerRule implements SweepRule {
  @Override
  public List<SweepFinding> apply(SweepAnalysis sweep) {
    Optional<ConfigComparison> runnerUp = sweep.runnerUp();
    if (runnerUp.isEmpty()) {
      return List.of();
    }
    ConfigComparison c = runnerUp.get();
    Optional<String> doubt = Lead.doubt(sweep, c);
    if (doubt.isEmpty()) {
      return List.of();
    }
    ConfigResult best = sweep.config(c.a());
    ConfigResult second = sweep.config(c.b());
    List<Integer> tied = new ArrayList<>(List.of(best.config()));
    for (ConfigComparison x : sweep.comparisons()) {
      if (Lead.doubt(sweep, x).isPresent()) {
        tied.add(x.b());
      }
    }
    int seeds = Lead.seedsNeeded(c.delta(), sweep.pooledSeedSd(), best.testAcc().n());
    String evidence =
        cap(best.name())
            + " leads "
            + second.name()
            + " by "
            + Fmt.delta(c.delta())
            + " in mean test accuracy ("
            + Fmt.interval(best.testAcc())
            + " vs "
            + Fmt.interval(second.testAcc())
            + "), but "
            + doubt.get()
            + ". Seed-to-seed SD of test accuracy: "
            + Fmt.acc(sweep.pooledSeedSd())
            + (Double.isFinite(sweep.pooledSeedSd()) ? "." : " (unknown with one seed).")
            + (tied.size() > 2 ? " Configs " + tied + " are not clearly apart." : "");
    return List.of(
        new SweepFinding(
            SweepFinding.NO_CLEAR_WINNER,
            "warning",
            tied,
            "No clear winner: config "
                + best.config()
                + "'s lead of "
                + Fmt.delta(c.delta())
                + " over config "
                + second.config()
                + " is within the noise",
            evidence,
            "Rerun with --seeds "
                + seeds
                + " to tell configs "
                + best.config()
                + " and "
                + second.config()
                + " apart; until then treat them as equally good and pick on other grounds"
                + " (e.g. the cheaper setting)."));
  }

  private static String cap(String s) {
    return BestConfigRule.cap(s);
  }
}
