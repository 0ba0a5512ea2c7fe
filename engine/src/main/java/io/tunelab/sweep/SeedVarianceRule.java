package io.tunelab.sweep;

import java.util.Comparator;
import java.util.List;

/**
 * {@code seed-variance} (warning): the seeds of one config differ more than the configs differ from
 * each other; the pooled within-config standard deviation of test accuracy exceeds the standard
 * deviation of the config means. Needs two or more seeds in some config and two or more ranked
 * configs.
 */
final class SeedVarianceRule implements SweepRule {
  @Override
  public List<SweepFinding> apply(SweepAnalysis sweep) {
    List<ConfigResult> ranked = sweep.ranked();
    double within = sweep.pooledSeedSd();
    if (ranked.size() < 2 || !Double.isFinite(within)) {
      return List.of();
    }
    double[] means = ranked.stream().mapToDouble(c -> c.testAcc().mean()).toArray();
    double grand = java.util.Arrays.stream(means).average().orElseThrow();
    double between = Interval.sd(means, grand);
    if (!(within > between)) {
      return List.of();
    }
    ConfigResult widest =
        ranked.stream()
            .filter(c -> c.testAcc().known())
            .max(Comparator.comparingDouble(c -> c.testAcc().sd()))
            .orElseThrow();
    int now = ranked.stream().mapToInt(c -> c.testAcc().n()).max().orElse(1);
    int seeds = seedsFor(within, between, now);
    double[] acc = widest.counted().stream().mapToDouble(MemberRun::testAcc).toArray();
    String evidence =
        "Within a config, test accuracy varies from seed to seed with SD "
            + Fmt.acc(within)
            + " (pooled over the configs with 2+ completed seeds); the "
            + ranked.size()
            + " config means vary with SD only "
            + Fmt.acc(between)
            + " (from "
            + Fmt.acc(java.util.Arrays.stream(means).min().orElseThrow())
            + " to "
            + Fmt.acc(java.util.Arrays.stream(means).max().orElseThrow())
            + "). The widest, "
            + widest.name()
            + ", ranges from "
            + Fmt.acc(java.util.Arrays.stream(acc).min().orElseThrow())
            + " to "
            + Fmt.acc(java.util.Arrays.stream(acc).max().orElseThrow())
            + " over "
            + acc.length
            + " seeds. The seed (split and initialisation) moves the result more than the"
            + " setting does.";
    return List.of(
        new SweepFinding(
            SweepFinding.SEED_VARIANCE,
            "warning",
            ranked.stream().map(ConfigResult::config).toList(),
            "Seeds differ more than the configs do (SD "
                + Fmt.acc(within)
                + " within a config vs "
                + Fmt.acc(between)
                + " between configs)",
            evidence,
            "Rerun with --seeds "
                + seeds
                + " so that a config mean's standard error (SD/√seeds) falls below half the"
                + " spread of the config means; more test images (a larger --per-class) also"
                + " shrink the test-set part of the noise."));
  }

  /** Seeds for SD/√n ≤ between/2, at least one more than now and at most 20. */
  static int seedsFor(double within, double between, int now) {
    if (between <= 0) {
      return 20;
    }
    double r = 2 * within / between;
    return (int) Math.max(now + 1, Math.min(20, (long) Math.ceil(r * r)));
  }
}
