package io.tunelab.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import io.tunelab.workflows.model.SweepOutcome;
import java.util.ArrayList;
import java.util.List;

/** The one-line summary of a sweep report, for its workflow's summary and its state. */
final class SweepHeadline {
  private SweepHeadline() {}

  static SweepOutcome outcome(JsonNode report, String key) {
    List<String> codes = new ArrayList<>();
    report.path("findings").forEach(f -> codes.add(f.path("code").asText()));
    Integer best = report.path("best").isInt() ? report.path("best").asInt() : null;
    return new SweepOutcome(key, best, codes, headline(report, best, codes));
  }

  private static String headline(JsonNode report, Integer best, List<String> codes) {
    if (best == null) {
      return "no member run completed";
    }
    JsonNode config = report.path("configs").path(best - 1);
    StringBuilder line = new StringBuilder("config ").append(best);
    String label = label(config.path("values"));
    if (!label.isEmpty()) {
      line.append(" (").append(label).append(')');
    }
    JsonNode acc = config.path("testAcc");
    line.append(" best: test accuracy ").append(Fmt.acc(num(acc.path("mean"))));
    if (num(acc.path("low")) < num(acc.path("high"))) {
      line.append(" [")
          .append(Fmt.acc(num(acc.path("low"))))
          .append(", ")
          .append(Fmt.acc(num(acc.path("high"))))
          .append(']');
    }
    JsonNode runnerUp = null;
    for (JsonNode c : report.path("comparisons")) {
      if (runnerUp == null || c.path("delta").asDouble() < runnerUp.path("delta").asDouble()) {
        runnerUp = c;
      }
    }
    if (runnerUp != null) {
      line.append(", ")
          .append(Fmt.delta(num(runnerUp.path("delta"))))
          .append(" over config ")
          .append(runnerUp.path("b").asInt())
          .append(" (p = ")
          .append(Fmt.p(num(runnerUp.path("pValue"))))
          .append(')');
    }
    if (codes.contains(SweepFinding.NO_CLEAR_WINNER)) {
      line.append("; no clear winner");
    }
    return line.toString();
  }

  /** A JSON number, or NaN for null or a missing field. */
  static double num(JsonNode n) {
    return n.isNumber() ? n.asDouble() : Double.NaN;
  }

  /** {@code lr=0.001 head-dropout=0.5} from a config's values object. */
  static String label(JsonNode values) {
    StringBuilder b = new StringBuilder();
    values
        .fields()
        .forEachRemaining(
            e ->
                b.append(b.length() == 0 ? "" : " ")
                    .append(e.getKey())
                    .append('=')
                    .append(e.getValue().asText()));
    return b.toString();
  }
}
