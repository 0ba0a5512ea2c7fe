package io.tunelab.report.html;

import static io.tunelab.report.html.Html.escape;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The member runs of a sweep side by side: a row per config, a column per seed, and in each cell
 * the run's status, test accuracy, best epoch and its findings coloured by severity.
 */
final class SweepMembers {
  private SweepMembers() {}

  /** The member runs as a grid: a row per config, a column per seed, findings in each cell. */
  static String render(JsonNode report) {
    List<Long> seeds = new ArrayList<>();
    report.path("seeds").forEach(s -> seeds.add(s.asLong()));
    StringBuilder html =
        new StringBuilder(
            "<div class=\"members-table\"><table id=\"members-table\"><thead><tr><th>config</th>");
    for (long seed : seeds) {
      html.append("<th>seed ").append(seed).append("</th>");
    }
    html.append("</tr></thead><tbody>");
    for (JsonNode c : report.path("configs")) {
      Map<Long, JsonNode> bySeed = new TreeMap<>();
      c.path("runs").forEach(r -> bySeed.put(r.path("seed").asLong(), r));
      html.append("<tr><td>")
          .append(c.path("config").asInt())
          .append(" <span class=\"pm\">")
          .append(escape(SweepSections.label(c.path("values"))))
          .append("</span></td>");
      for (long seed : seeds) {
        html.append("<td>").append(cell(bySeed.get(seed))).append("</td>");
      }
      html.append("</tr>");
    }
    return html.append("</tbody></table></div>").toString();
  }

  private static String cell(JsonNode run) {
    if (run == null) {
      return "–";
    }
    StringBuilder html = new StringBuilder("<div class=\"cell\" data-run=\"");
    html.append(escape(run.path("runId").asText()))
        .append("\"><span class=\"status ")
        .append(escape(run.path("status").asText().toLowerCase(Locale.ROOT)))
        .append("\">")
        .append(escape(run.path("status").asText()))
        .append("</span><span class=\"acc\">test ")
        .append(run.path("testAcc").isNumber() ? Html.pct(run.path("testAcc").asDouble(), 1) : "–")
        .append(
            run.path("bestEpoch").isNumber()
                ? " · best epoch " + run.path("bestEpoch").asInt()
                : "")
        .append("</span><span class=\"codes\">");
    JsonNode details = run.path("findingDetails");
    if (details.isArray() && !details.isEmpty()) {
      for (JsonNode f : details) {
        html.append("<span class=\"code ")
            .append(escape(f.path("severity").asText()))
            .append("\" title=\"")
            .append(escape(f.path("arm").asText()))
            .append("\">")
            .append(escape(f.path("code").asText()))
            .append("</span>");
      }
    } else {
      run.path("findings")
          .forEach(
              f ->
                  html.append("<span class=\"code\">")
                      .append(escape(f.asText()))
                      .append("</span>"));
    }
    return html.append("</span><span class=\"run\">")
        .append(escape(run.path("runId").asText()))
        .append("</span></div>")
        .toString();
  }
}
