package io.tunelab.report.html;

import static io.tunelab.report.html.Html.escape;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The tables and cards of the sweep page, each from the sweep report JSON: the best config's tiles,
 * the findings, the configs with their means and intervals, the comparisons with the best, and the
 * member runs as a grid of configs by seeds.
 */
final class SweepSections {
  /** Additions to the run report's style sheet. */
  static final String CSS =
      """
      tr.best-config td{background:#fef9c3}
      .configs-table,.members-table{overflow-x:auto}
      .cell{display:flex;flex-direction:column;gap:2px}
      .cell .acc{font-weight:600}.cell .codes{display:flex;flex-wrap:wrap;gap:3px}
      .code{font-size:11px;border-radius:999px;padding:0 6px;background:#e2e8f0;color:#334155}
      .code.warning{background:#fef3c7;color:#92400e}.code.critical{background:#fee2e2;color:#991b1b}
      .code.info{background:#e0f2fe;color:#075985}
      .cell .run{font-size:11px;color:var(--muted)}
      """;

  private SweepSections() {}

  /** Tiles: the best config, its test accuracy and its lead over the runner-up. */
  static String bestTiles(JsonNode report) {
    if (!report.path("best").isInt()) {
      return tile("#94a3b8", "best config", "–", "no member run completed yet");
    }
    int best = report.path("best").asInt();
    JsonNode config = report.path("configs").path(best - 1);
    StringBuilder html =
        new StringBuilder(
            tile(
                SweepCurves.colour(best),
                "best config",
                "config " + best,
                label(config.path("values"))));
    html.append(
        tile(
            SweepCurves.colour(best),
            "its mean test accuracy",
            Html.pct(SweepCurves.number(config.path("testAcc").path("mean")), 1),
            plainInterval(config.path("testAcc"), config.path("n").asInt())));
    JsonNode runnerUp = null;
    for (JsonNode c : report.path("comparisons")) {
      if (runnerUp == null || c.path("delta").asDouble() < runnerUp.path("delta").asDouble()) {
        runnerUp = c;
      }
    }
    if (runnerUp != null) {
      html.append(
          tile(
              SweepCurves.colour(runnerUp.path("b").asInt()),
              "lead over config " + runnerUp.path("b").asInt(),
              signed(SweepCurves.number(runnerUp.path("delta"))),
              "p = " + p(runnerUp.path("pValue")) + " (" + runnerUp.path("test").asText() + ")"));
    }
    return html.toString();
  }

  /** The sweep findings as cards, each naming its configs. */
  static String findings(JsonNode report) {
    if (report.path("findings").isEmpty()) {
      return "<p class=\"note\">No findings yet: no member run has completed.</p>";
    }
    StringBuilder html = new StringBuilder("<div class=\"findings\">");
    for (JsonNode f : FindingsList.ordered(report.path("findings"))) {
      String severity = f.path("severity").asText("info");
      html.append("<article class=\"finding ")
          .append(escape(severity))
          .append("\" data-code=\"")
          .append(escape(f.path("code").asText()))
          .append("\"><header><span class=\"badge ")
          .append(escape(severity))
          .append("\">")
          .append(escape(severity))
          .append("</span><code>")
          .append(escape(f.path("code").asText()))
          .append("</code><span class=\"arm\">configs ")
          .append(escape(texts(f.path("configs"))))
          .append("</span></header><h3>")
          .append(escape(f.path("title").asText()))
          .append("</h3><p class=\"evidence\"><b>Evidence.</b> ")
          .append(escape(f.path("evidence").asText()))
          .append("</p><p class=\"recommendation\"><b>Recommendation.</b> ")
          .append(escape(f.path("recommendation").asText()))
          .append("</p></article>");
    }
    return html.append("</div>").toString();
  }

  /** The configs with the mean [95% interval] of each metric over their completed runs. */
  static String configs(JsonNode report) {
    int best = report.path("best").asInt(-1);
    StringBuilder html =
        new StringBuilder(
            "<div class=\"configs-table\"><table id=\"configs-table\"><thead><tr><th>config</th>"
                + "<th>values</th><th class=\"num\">runs in means</th><th>test accuracy</th>"
                + "<th>best val loss</th><th>best val accuracy</th><th>best epoch</th></tr></thead><tbody>");
    for (JsonNode c : report.path("configs")) {
      int n = c.path("config").asInt();
      html.append(n == best ? "<tr class=\"best-config\">" : "<tr>")
          .append("<td><span class=\"swatch\" style=\"background:")
          .append(SweepCurves.colour(n))
          .append("\"></span>")
          .append(n)
          .append(n == best ? " ★" : "")
          .append("</td><td>")
          .append(escape(label(c.path("values"))))
          .append("</td><td class=\"num\">")
          .append(c.path("n").asInt())
          .append(" / ")
          .append(c.path("runs").size())
          .append("</td><td>")
          .append(interval(c.path("testAcc"), true, c.path("n").asInt()))
          .append("</td><td>")
          .append(interval(c.path("bestValLoss"), false, c.path("n").asInt()))
          .append("</td><td>")
          .append(interval(c.path("bestValAcc"), true, c.path("n").asInt()))
          .append("</td><td>")
          .append(epochs(c.path("bestEpoch")))
          .append("</td></tr>");
    }
    return html.append(
            "</tbody></table></div><p class=\"caption\">Mean [95% interval of the mean, Student's t]"
                + " over the completed runs of each config; a failed run keeps its findings but is"
                + " left out of the means. ★ the best config.</p>")
        .toString();
  }

  /** The best config against each other config on test accuracy. */
  static String comparisons(JsonNode report) {
    if (report.path("comparisons").isEmpty()) {
      return "<p class=\"omitted\">Nothing to compare: fewer than two configs have a completed run.</p>";
    }
    StringBuilder html =
        new StringBuilder(
            "<table id=\"comparisons-table\"><thead><tr><th>a (best)</th><th>b</th><th>metric</th>"
                + "<th class=\"num\">delta a − b</th><th class=\"num\">p</th><th>test</th></tr></thead><tbody>");
    for (JsonNode c : report.path("comparisons")) {
      int pairs = c.path("pairedSeeds").asInt();
      html.append("<tr><td>")
          .append(c.path("a").asInt())
          .append("</td><td>")
          .append(c.path("b").asInt())
          .append("</td><td>")
          .append(escape(c.path("metric").asText()))
          .append("</td><td class=\"num\">")
          .append(signed(SweepCurves.number(c.path("delta"))))
          .append("</td><td class=\"num\">")
          .append(p(c.path("pValue")))
          .append("</td><td>")
          .append(escape(c.path("test").asText()))
          .append(" (")
          .append(pairs)
          .append(pairs == 1 ? " paired seed" : " paired seeds")
          .append(")</td></tr>");
    }
    return html.append(
            "</tbody></table><p class=\"caption\">Runs are paired by seed (same seed, same splits):"
                + " a paired t-test with two or more paired seeds, the exact McNemar test on the"
                + " pooled test predictions with one.</p>")
        .toString();
  }

  private static String tile(String colour, String label, String value, String sub) {
    return "<div class=\"tile\" style=\"border-top-color:"
        + colour
        + "\"><span class=\"label\">"
        + escape(label)
        + "</span><span class=\"value\">"
        + escape(value)
        + "</span><span class=\"sub\">"
        + escape(sub)
        + "</span></div>";
  }

  /** {@code 95% interval 90.0% to 92.4% over 3 seeds}, as plain text for a tile. */
  private static String plainInterval(JsonNode i, int n) {
    double low = SweepCurves.number(i.path("low"));
    double high = SweepCurves.number(i.path("high"));
    return n >= 2
        ? "95% interval " + Html.pct(low, 1) + " to " + Html.pct(high, 1)
        : "one seed: interval unknown";
  }

  /** {@code 91.2% [90.0, 92.4]} (percentages) or {@code 0.3120 [0.3010, 0.3230]} (losses). */
  private static String interval(JsonNode i, boolean percent, int n) {
    double mean = SweepCurves.number(i.path("mean"));
    double low = SweepCurves.number(i.path("low"));
    double high = SweepCurves.number(i.path("high"));
    if (!Double.isFinite(mean)) {
      return "–";
    }
    String m = percent ? Html.pct(mean, 1) : Html.num(mean, 4);
    if (n < 2) {
      return m + " <span class=\"pm\">(one seed)</span>";
    }
    return m
        + " <span class=\"pm\">["
        + (percent ? Html.pct(low, 1) : Html.num(low, 4))
        + ", "
        + (percent ? Html.pct(high, 1) : Html.num(high, 4))
        + "]</span>";
  }

  private static String epochs(JsonNode i) {
    double mean = SweepCurves.number(i.path("mean"));
    return Double.isFinite(mean) ? Html.num(mean, 1) : "–";
  }

  private static String signed(double v) {
    return Double.isFinite(v) ? String.format(Locale.ROOT, "%+.1f pts", 100 * v) : "–";
  }

  private static String p(JsonNode v) {
    return v.isNumber() ? String.format(Locale.ROOT, "%.3g", v.asDouble()) : "–";
  }

  /** {@code lr=0.001 head-dropout=0.5} from a config's values. */
  static String label(JsonNode values) {
    List<String> parts = new ArrayList<>();
    values.fields().forEachRemaining(e -> parts.add(e.getKey() + "=" + e.getValue().asText()));
    return String.join(" ", parts);
  }

  /** An array's elements as text, comma separated. */
  static String texts(JsonNode array) {
    List<String> items = new ArrayList<>();
    array.forEach(v -> items.add(v.asText()));
    return String.join(", ", items);
  }
}
