package io.tunelab.sweep;

import io.tunelab.evaluation.PairedComparison;
import io.tunelab.evaluation.Predictions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import org.apache.commons.math3.distribution.TDistribution;

/**
 * Compares the best config with every other ranked config on test accuracy. Runs are paired by
 * seed, since a seed fixes the splits: with two or more paired seeds a paired t-test on the
 * per-seed differences; with one, the exact McNemar test on the test predictions of the paired
 * runs, pooled image by image.
 */
final class Comparisons {
  private final Function<String, Optional<Predictions>> predictions;

  /**
   * @param predictions the fine-tune arm's test predictions of a run, by run id
   */
  Comparisons(Function<String, Optional<Predictions>> predictions) {
    this.predictions = predictions;
  }

  /** The best config against each other ranked config, in config order. */
  List<ConfigComparison> against(ConfigResult best, List<ConfigResult> configs) {
    List<ConfigComparison> out = new ArrayList<>();
    for (ConfigResult other : configs) {
      if (other.config() != best.config() && other.ranked()) {
        out.add(compare(best, other));
      }
    }
    return out;
  }

  /** One comparison of config a with config b. */
  ConfigComparison compare(ConfigResult a, ConfigResult b) {
    Map<Long, MemberRun> aBySeed = bySeed(a);
    Map<Long, MemberRun> bBySeed = bySeed(b);
    List<MemberRun[]> pairs = new ArrayList<>();
    aBySeed.forEach(
        (seed, run) -> {
          if (bBySeed.containsKey(seed)) {
            pairs.add(new MemberRun[] {run, bBySeed.get(seed)});
          }
        });
    double delta = a.testAcc().mean() - b.testAcc().mean();
    if (pairs.size() >= 2) {
      double[] diffs = pairs.stream().mapToDouble(p -> p[0].testAcc() - p[1].testAcc()).toArray();
      return new ConfigComparison(
          a.config(),
          b.config(),
          "testAcc",
          delta,
          pairedT(diffs),
          ConfigComparison.PAIRED_T,
          pairs.size(),
          -1,
          -1);
    }
    int[] discordant = pairs.isEmpty() ? null : discordant(pairs);
    if (discordant == null) {
      return new ConfigComparison(
          a.config(),
          b.config(),
          "testAcc",
          delta,
          Double.NaN,
          ConfigComparison.NONE,
          pairs.size(),
          -1,
          -1);
    }
    return new ConfigComparison(
        a.config(),
        b.config(),
        "testAcc",
        delta,
        PairedComparison.mcNemarExact(discordant[0], discordant[1]),
        ConfigComparison.MCNEMAR,
        pairs.size(),
        discordant[0],
        discordant[1]);
  }

  /** Two-sided p-value of a paired t-test on the differences (at least two). */
  static double pairedT(double[] diffs) {
    int n = diffs.length;
    double mean = java.util.Arrays.stream(diffs).average().orElseThrow();
    double sd = Interval.sd(diffs, mean);
    if (sd == 0 || !Double.isFinite(sd)) {
      // identical differences: no spread to weigh them against
      return mean == 0 ? 1.0 : 0.0;
    }
    double t = mean / (sd / Math.sqrt(n));
    return Math.min(1.0, 2 * new TDistribution(n - 1).cumulativeProbability(-Math.abs(t)));
  }

  /**
   * Images only a got right and only b got right, over the pooled test predictions of the pairs;
   * {@code null} when any predictions are missing or the runs were not tested on the same images.
   */
  private int[] discordant(List<MemberRun[]> pairs) {
    int onlyA = 0;
    int onlyB = 0;
    for (MemberRun[] pair : pairs) {
      Optional<Predictions> pa = predictions.apply(pair[0].runId());
      Optional<Predictions> pb = predictions.apply(pair[1].runId());
      if (pa.isEmpty() || pb.isEmpty() || pa.get().size() != pb.get().size()) {
        return null;
      }
      for (int i = 0; i < pa.get().size(); i++) {
        if (pa.get().labels()[i] != pb.get().labels()[i]) {
          return null;
        }
        boolean ca = pa.get().correct(i);
        boolean cb = pb.get().correct(i);
        onlyA += ca && !cb ? 1 : 0;
        onlyB += cb && !ca ? 1 : 0;
      }
    }
    return new int[] {onlyA, onlyB};
  }

  private static Map<Long, MemberRun> bySeed(ConfigResult config) {
    Map<Long, MemberRun> runs = new TreeMap<>();
    config.counted().forEach(r -> runs.put(r.seed(), r));
    return runs;
  }
}
