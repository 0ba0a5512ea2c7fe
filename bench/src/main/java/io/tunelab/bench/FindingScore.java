package io.tunelab.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Precision and recall of each finding code over judged cases of {@link DiagnosisHarness}: a
 * planted code raised is a true positive, planted and not raised a false negative, raised where it
 * was neither planted nor allowed a false positive; allowed codes count for nothing. Kept twice:
 * counting findings of severity warning or critical ("raised"), and counting any severity, info
 * included.
 */
final class FindingScore {
  /** Counts of one code at one severity threshold. */
  static final class Counts {
    int tp;
    int fp;
    int fn;

    double precision() {
      return tp + fp == 0 ? Double.NaN : tp / (double) (tp + fp);
    }

    double recall() {
      return tp + fn == 0 ? Double.NaN : tp / (double) (tp + fn);
    }
  }

  /** One judged case: the codes raised at warning or above, and at any severity. */
  record Judged(HarnessCase kase, List<HarnessFinding> findings) {}

  /** Codes planted in any case are in the table even when never raised. */
  private final Map<String, Counts> raised = new TreeMap<>();

  private final Map<String, Counts> any = new TreeMap<>();
  private final Map<String, Integer> plantedIn = new TreeMap<>();

  /** Adds one case's findings. */
  void add(Judged judged) {
    HarnessCase c = judged.kase();
    for (String code : c.planted()) {
      plantedIn.merge(code, 1, Integer::sum);
    }
    count(c, judged.findings().stream().filter(HarnessFinding::raised).toList(), raised);
    count(c, judged.findings(), any);
  }

  private static void count(
      HarnessCase c, List<HarnessFinding> findings, Map<String, Counts> into) {
    List<String> codes =
        findings.stream()
            .map(HarnessFinding::code)
            .filter(x -> !x.equals("healthy"))
            .distinct()
            .toList();
    for (String code : c.planted()) {
      Counts k = into.computeIfAbsent(code, x -> new Counts());
      if (codes.contains(code)) {
        k.tp++;
      } else {
        k.fn++;
      }
    }
    for (String code : codes) {
      if (!c.planted().contains(code) && !c.allowed().containsKey(code)) {
        into.computeIfAbsent(code, x -> new Counts()).fp++;
      }
    }
  }

  /** The markdown table: one row per code. */
  List<String> table() {
    List<String> rows = new ArrayList<>();
    rows.add(
        "| code | planted in | raised (warning+): precision (TP/FP) | raised: recall (TP/FN) | any"
            + " severity: precision (TP/FP) | any severity: recall (TP/FN) |");
    rows.add("| --- | ---: | --- | --- | --- | --- |");
    TreeMap<String, Counts> codes = new TreeMap<>(any);
    raised.forEach(codes::putIfAbsent);
    for (String code : codes.keySet()) {
      Counts r = raised.getOrDefault(code, new Counts());
      Counts a = any.getOrDefault(code, new Counts());
      rows.add(
          String.format(
              Locale.ROOT,
              "| `%s` | %d | %s (%d/%d) | %s (%d/%d) | %s (%d/%d) | %s (%d/%d) |",
              code,
              plantedIn.getOrDefault(code, 0),
              fmt(r.precision()),
              r.tp,
              r.fp,
              fmt(r.recall()),
              r.tp,
              r.fn,
              fmt(a.precision()),
              a.tp,
              a.fp,
              fmt(a.recall()),
              a.tp,
              a.fn));
    }
    return rows;
  }

  /** The code with the lowest precision among warnings and criticals, or {@code null}. */
  Map.Entry<String, Double> worstPrecision() {
    return worst(raised, true);
  }

  /** The code with the lowest recall among warnings and criticals, or {@code null}. */
  Map.Entry<String, Double> worstRecall() {
    return worst(raised, false);
  }

  private static Map.Entry<String, Double> worst(Map<String, Counts> counts, boolean precision) {
    Map.Entry<String, Double> worst = null;
    for (Map.Entry<String, Counts> e : counts.entrySet()) {
      double v = precision ? e.getValue().precision() : e.getValue().recall();
      if (!Double.isNaN(v) && (worst == null || v < worst.getValue())) {
        worst = Map.entry(e.getKey(), v);
      }
    }
    return worst;
  }

  static String fmt(double x) {
    return Double.isNaN(x) ? "–" : String.format(Locale.ROOT, "%.2f", x);
  }
}
