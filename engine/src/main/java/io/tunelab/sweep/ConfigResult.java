package io.tunelab.sweep;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * A config of a sweep with its member runs and the means over the runs that count (completed ones;
 * a failed run keeps its findings but stays out of the means).
 *
 * @param config the config's number, from 1
 * @param values varied flag to its value in this config
 * @param runs the member runs, one per seed, in seed order
 *     <p>Each interval is cut to the range its metric can take ({@link Interval#within}).
 * @param testAcc test accuracy over the counted runs
 * @param bestValLoss validation loss at the best epoch over the counted runs
 * @param bestValAcc validation accuracy at the best epoch over the counted runs
 * @param bestEpoch the best epoch over the counted runs
 * @param curve the mean validation loss curve
 */
public record ConfigResult(
    int config,
    Map<String, String> values,
    List<MemberRun> runs,
    Interval testAcc,
    Interval bestValLoss,
    Interval bestValAcc,
    Interval bestEpoch,
    ValidationCurve curve) {

  public ConfigResult {
    values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    runs = List.copyOf(runs);
  }

  /** The result of a config from its runs. */
  public static ConfigResult of(int config, Map<String, String> values, List<MemberRun> runs) {
    List<MemberRun> counted = runs.stream().filter(MemberRun::countsInMeans).toList();
    return new ConfigResult(
        config,
        values,
        runs,
        over(counted, MemberRun::testAcc).within(0, 1),
        over(counted, MemberRun::bestValLoss).within(0, Double.POSITIVE_INFINITY),
        over(counted, MemberRun::bestValAcc).within(0, 1),
        over(counted.stream().filter(r -> r.bestEpoch() > 0).toList(), MemberRun::bestEpoch)
            .within(1, Double.POSITIVE_INFINITY),
        ValidationCurve.of(runs));
  }

  /** The runs that count in the means. */
  public List<MemberRun> counted() {
    return runs.stream().filter(MemberRun::countsInMeans).toList();
  }

  /** Whether at least one run counts, so the config can be ranked. */
  public boolean ranked() {
    return testAcc.n() > 0;
  }

  /** {@code config 2 (lr=0.0001)}, for evidence and titles. */
  public String name() {
    return "config " + config + (values.isEmpty() ? "" : " (" + label() + ")");
  }

  /** The values as {@code lr=0.001 head-dropout=0.5}. */
  public String label() {
    StringBuilder b = new StringBuilder();
    values.forEach(
        (flag, v) -> b.append(b.length() == 0 ? "" : " ").append(flag).append('=').append(v));
    return b.toString();
  }

  /** The values as command-line flags: {@code --lr 0.001 --head-dropout 0.5}. */
  public String flags() {
    StringBuilder b = new StringBuilder();
    values.forEach(
        (flag, v) ->
            b.append(b.length() == 0 ? "" : " ").append("--").append(flag).append(' ').append(v));
    return b.toString();
  }

  private static Interval over(List<MemberRun> runs, ToDoubleFunction<MemberRun> metric) {
    return Interval.of(runs.stream().mapToDouble(metric).toArray());
  }
}
