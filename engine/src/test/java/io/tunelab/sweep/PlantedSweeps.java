package io.tunelab.sweep;

import io.tunelab.evaluation.Predictions;
import io.tunelab.workflows.model.RunStatus;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * Builds synthetic sweeps straight from member runs (no bucket): configs as the cartesian product
 * of the varied values, and per member a test accuracy and finding codes chosen by the test.
 */
final class PlantedSweeps {
  /** What a generator decides for one member run. */
  record Outcome(RunStatus status, double testAcc, List<RunFinding> findings) {}

  /** Decides the outcome of the member of config {@code values} at a seed. */
  interface Planter {
    Outcome plant(int config, Map<String, String> values, long seed);
  }

  private PlantedSweeps() {}

  /** The cartesian product of the varied values, in order. */
  static List<Map<String, String>> product(Map<String, List<String>> vary) {
    List<Map<String, String>> product = new ArrayList<>();
    product.add(new LinkedHashMap<>());
    for (Map.Entry<String, List<String>> flag : vary.entrySet()) {
      List<Map<String, String>> next = new ArrayList<>();
      for (Map<String, String> partial : product) {
        for (String value : flag.getValue()) {
          Map<String, String> values = new LinkedHashMap<>(partial);
          values.put(flag.getKey(), value);
          next.add(values);
        }
      }
      product = next;
    }
    return product;
  }

  /** A sweep analysed as the report does it, with test predictions looked up in a map. */
  static SweepAnalysis analyse(
      Map<String, List<String>> vary,
      int seeds,
      Planter planter,
      Map<String, Predictions> predictions) {
    List<Map<String, String>> product = product(vary);
    List<ConfigResult> configs = new ArrayList<>();
    List<Long> seedList = new ArrayList<>();
    for (long s = 1; s <= seeds; s++) {
      seedList.add(s);
    }
    for (int i = 0; i < product.size(); i++) {
      List<MemberRun> runs = new ArrayList<>();
      for (long seed : seedList) {
        Outcome o = planter.plant(i + 1, product.get(i), seed);
        runs.add(
            new MemberRun(
                "p-c" + (i + 1) + "-s" + seed,
                i + 1,
                seed,
                o.status(),
                true,
                o.testAcc(),
                0.5,
                o.testAcc(),
                3,
                o.findings(),
                null));
      }
      configs.add(ConfigResult.of(i + 1, product.get(i), runs));
    }
    return SweepAnalysis.of(
        "p",
        RunStatus.COMPLETED,
        vary,
        seedList,
        configs,
        id -> Optional.ofNullable(predictions.get(id)));
  }

  /** Values of a flag: {@code count} distinct strings. */
  static List<String> values(String flag, int count) {
    List<String> values = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      values.add(flag.equals("lr") ? "1e-" + (i + 2) : Double.toString(0.1 * i));
    }
    return values;
  }

  /** A normal draw. */
  static double normal(Random rng, double sd) {
    return rng.nextGaussian() * sd;
  }

  /** An empty map for sweeps without predictions. */
  static Map<String, Predictions> noPredictions() {
    return new HashMap<>();
  }
}
