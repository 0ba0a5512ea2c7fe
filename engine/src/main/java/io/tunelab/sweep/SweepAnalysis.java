package io.tunelab.sweep;

import io.tunelab.evaluation.Predictions;
import io.tunelab.workflows.model.RunStatus;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Where a sweep stands: its configs with their runs and means, the best config, and the best
 * config's comparisons with the others. The diagnosis reads it, and the report JSON is written from
 * it.
 *
 * @param sweepId the sweep's id
 * @param status the sweep's status
 * @param vary varied flag to its values, in the order given
 * @param seeds the seeds each config runs with
 * @param configs every config, in number order
 * @param best the number of the config with the highest mean test accuracy among the ranked ones,
 *     or {@code null} when no run counts yet
 * @param comparisons the best config against each other ranked config
 */
public record SweepAnalysis(
    String sweepId,
    RunStatus status,
    Map<String, List<String>> vary,
    List<Long> seeds,
    List<ConfigResult> configs,
    Integer best,
    List<ConfigComparison> comparisons) {

  public SweepAnalysis {
    vary = Collections.unmodifiableMap(new LinkedHashMap<>(vary));
    seeds = List.copyOf(seeds);
    configs = List.copyOf(configs);
    comparisons = List.copyOf(comparisons);
  }

  /**
   * Ranks the configs and compares the best with the others.
   *
   * @param predictions the fine-tune arm's test predictions of a run by run id, for the McNemar
   *     test of a one-seed pair
   */
  public static SweepAnalysis of(
      String sweepId,
      RunStatus status,
      Map<String, List<String>> vary,
      List<Long> seeds,
      List<ConfigResult> configs,
      Function<String, Optional<Predictions>> predictions) {
    Optional<ConfigResult> best =
        configs.stream()
            .filter(ConfigResult::ranked)
            .max(
                Comparator.comparingDouble((ConfigResult c) -> c.testAcc().mean())
                    .thenComparing(ConfigResult::config, Comparator.reverseOrder()));
    List<ConfigComparison> comparisons =
        best.map(b -> new Comparisons(predictions).against(b, configs)).orElse(List.of());
    return new SweepAnalysis(
        sweepId,
        status,
        vary,
        seeds,
        configs,
        best.map(ConfigResult::config).orElse(null),
        comparisons);
  }

  /** The config numbered {@code number}. */
  public ConfigResult config(int number) {
    return configs.get(number - 1);
  }

  /** The ranked configs: those with at least one run counted in the means. */
  public List<ConfigResult> ranked() {
    return configs.stream().filter(ConfigResult::ranked).toList();
  }

  /** The best config, when there is one. */
  public Optional<ConfigResult> bestConfig() {
    return Optional.ofNullable(best).map(this::config);
  }

  /** The comparison of the best config with the ranked config closest behind it. */
  public Optional<ConfigComparison> runnerUp() {
    return comparisons.stream()
        .min(
            Comparator.comparingDouble(ConfigComparison::delta)
                .thenComparingInt(ConfigComparison::b));
  }

  /**
   * The seed-to-seed standard deviation of test accuracy pooled over the configs with two or more
   * counted runs (each weighted by its degrees of freedom), or NaN when no config has two.
   */
  public double pooledSeedSd() {
    double ss = 0;
    int dof = 0;
    for (ConfigResult c : configs) {
      Interval acc = c.testAcc();
      if (acc.known()) {
        ss += (acc.n() - 1) * acc.sd() * acc.sd();
        dof += acc.n() - 1;
      }
    }
    return dof == 0 ? Double.NaN : Math.sqrt(ss / dof);
  }
}
