package io.tunelab.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import io.tunelab.report.ReportRenderer;
import io.tunelab.report.html.SweepHtmlReport;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Renders a sweep report JSON as Markdown or as a self-contained HTML page ({@link
 * SweepHtmlReport}), from the JSON alone: the configs with their means and intervals, the best
 * config, the comparisons, the findings and the member runs with their findings side by side.
 */
public final class SweepRenderer {

  /** The report as Markdown. */
  public String markdown(JsonNode report) {
    StringBuilder md = new StringBuilder();
    md.append("# tunelab sweep ").append(report.path("sweepId").asText()).append("\n\n");
    md.append("Status: **").append(report.path("status").asText()).append("**; varied: ");
    List<String> vary = new ArrayList<>();
    report
        .path("vary")
        .fields()
        .forEachRemaining(e -> vary.add("`" + e.getKey() + "` = " + texts(e.getValue())));
    md.append(vary.isEmpty() ? "nothing" : String.join("; ", vary));
    md.append("; seeds: ").append(texts(report.path("seeds"))).append("\n\n");
    md.append("Best: ")
        .append(best(report))
        .append("\n\n## Configs\n\n")
        .append("Mean [95% interval of the mean over seeds] of the runs that completed.\n\n")
        .append(
            "| config | values | runs in means | test acc | best val loss | best val acc | best epoch |\n")
        .append("|---:|---|---:|---|---|---|---|\n");
    int best = report.path("best").asInt(-1);
    for (JsonNode c : report.path("configs")) {
      md.append("| ")
          .append(c.path("config").asInt())
          .append(c.path("config").asInt() == best ? " ★" : "")
          .append(" | ")
          .append(SweepHeadline.label(c.path("values")))
          .append(" | ")
          .append(c.path("n").asInt())
          .append('/')
          .append(c.path("runs").size())
          .append(" | ")
          .append(interval(c.path("testAcc"), 3, c.path("n").asInt()))
          .append(" | ")
          .append(interval(c.path("bestValLoss"), 4, c.path("n").asInt()))
          .append(" | ")
          .append(interval(c.path("bestValAcc"), 3, c.path("n").asInt()))
          .append(" | ")
          .append(interval(c.path("bestEpoch"), 1, c.path("n").asInt()))
          .append(" |\n");
    }
    comparisons(md, report);
    findings(md, report);
    members(md, report);
    return md.toString();
  }

  /** The report as one self-contained HTML page; see {@link SweepHtmlReport}. */
  public String html(JsonNode report) {
    return new SweepHtmlReport(report).render();
  }

  private static void comparisons(StringBuilder md, JsonNode report) {
    md.append("\n## Comparisons with the best config\n\n");
    if (report.path("comparisons").isEmpty()) {
      md.append("None: fewer than two configs have a completed run.\n");
      return;
    }
    md.append("| a | b | metric | delta (a − b) | p | test |\n|---:|---:|---|---:|---:|---|\n");
    for (JsonNode c : report.path("comparisons")) {
      md.append(
          String.format(
              Locale.ROOT,
              "| %d | %d | %s | %s | %s | %s (%d paired seed%s) |%n",
              c.path("a").asInt(),
              c.path("b").asInt(),
              c.path("metric").asText(),
              Fmt.delta(SweepHeadline.num(c.path("delta"))),
              Fmt.p(SweepHeadline.num(c.path("pValue"))),
              c.path("test").asText(),
              c.path("pairedSeeds").asInt(),
              c.path("pairedSeeds").asInt() == 1 ? "" : "s"));
    }
  }

  private static void findings(StringBuilder md, JsonNode report) {
    md.append("\n## Findings\n\n");
    if (report.path("findings").isEmpty()) {
      md.append("None yet.\n");
    }
    for (JsonNode f : report.path("findings")) {
      ReportRenderer.finding(md, f, "configs " + texts(f.path("configs")));
    }
  }

  private static void members(StringBuilder md, JsonNode report) {
    md.append("\n## Member runs\n\n")
        .append(
            "| run | config | seed | status | test acc | best val loss | best val acc | best epoch | findings |\n")
        .append("|---|---:|---:|---|---:|---:|---:|---:|---|\n");
    for (JsonNode c : report.path("configs")) {
      for (JsonNode r : c.path("runs")) {
        md.append("| `")
            .append(r.path("runId").asText())
            .append("` | ")
            .append(c.path("config").asInt())
            .append(" | ")
            .append(r.path("seed").asLong())
            .append(" | ")
            .append(r.path("status").asText())
            .append(" | ")
            .append(number(r.path("testAcc"), 3))
            .append(" | ")
            .append(number(r.path("bestValLoss"), 4))
            .append(" | ")
            .append(number(r.path("bestValAcc"), 3))
            .append(" | ")
            .append(r.path("bestEpoch").isNumber() ? r.path("bestEpoch").asText() : "–")
            .append(" | ")
            .append(r.path("findings").isEmpty() ? "–" : texts(r.path("findings")))
            .append(" |\n");
      }
    }
  }

  private static String best(JsonNode report) {
    if (!report.path("best").isInt()) {
      return "none yet (no member run completed)";
    }
    JsonNode c = report.path("configs").path(report.path("best").asInt() - 1);
    String label = SweepHeadline.label(c.path("values"));
    return "**config "
        + c.path("config").asInt()
        + "**"
        + (label.isEmpty() ? "" : " (" + label + ")")
        + ", test accuracy "
        + interval(c.path("testAcc"), 3, c.path("n").asInt());
  }

  /** {@code 0.912 [0.900, 0.924]}, the mean alone for one seed, {@code –} when unknown. */
  private static String interval(JsonNode i, int decimals, int n) {
    double mean = SweepHeadline.num(i.path("mean"));
    if (!Double.isFinite(mean)) {
      return "–";
    }
    double low = SweepHeadline.num(i.path("low"));
    double high = SweepHeadline.num(i.path("high"));
    String f = "%." + decimals + "f";
    return n >= 2
        ? String.format(Locale.ROOT, f + " [" + f + ", " + f + "]", mean, low, high)
        : String.format(Locale.ROOT, f, mean);
  }

  private static String number(JsonNode n, int decimals) {
    return n.isNumber() ? String.format(Locale.ROOT, "%." + decimals + "f", n.asDouble()) : "–";
  }

  /** The elements of an array as text, comma separated. */
  private static String texts(JsonNode array) {
    List<String> items = new ArrayList<>();
    array.forEach(v -> items.add(v.asText()));
    return String.join(", ", items);
  }
}
