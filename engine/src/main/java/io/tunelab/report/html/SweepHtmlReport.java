package io.tunelab.report.html;

import static io.tunelab.report.html.Html.escape;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * A sweep report as one self-contained HTML page, drawn from the sweep report JSON alone (inline
 * CSS and SVG, no script): the best config and the verdict first, the findings, the validation loss
 * curves of every config overlaid (mean over seeds with its 95% band), the configs' table, the
 * comparisons with the best, and the member runs with their findings side by side. It shares the
 * run report's style and chart; a part that cannot be drawn is replaced by a note.
 */
public final class SweepHtmlReport {
  private final JsonNode report;

  /** A page for a sweep report JSON (the contract's "Sweep report JSON"). */
  public SweepHtmlReport(JsonNode report) {
    this.report = report;
  }

  /** The page. */
  public String render() {
    String id = report.path("sweepId").asText();
    StringBuilder html = new StringBuilder(32 * 1024);
    html.append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
        .append("<title>tunelab sweep ")
        .append(escape(id))
        .append("</title><style>")
        .append(Style.CSS)
        .append(SweepSections.CSS)
        .append("</style></head><body data-kind=\"sweep\" data-status=\"")
        .append(escape(report.path("status").asText()))
        .append("\"><main>");
    html.append(HtmlReport.part("header", this::header));
    html.append(section("findings", "Findings", () -> SweepSections.findings(report)));
    html.append(section("curves", "Validation loss by config", () -> SweepCurves.render(report)));
    html.append(section("configs", "Configs", () -> SweepSections.configs(report)));
    html.append(
        section(
            "comparisons", "Comparisons with the best", () -> SweepSections.comparisons(report)));
    html.append(section("members", "Member runs", () -> SweepMembers.render(report)));
    html.append(
        "<footer>A self-contained page written by tunelab: no scripts, nothing loaded from "
            + "elsewhere. Each member run has its own report: tunelab report RUN.</footer>");
    return html.append("</main></body></html>\n").toString();
  }

  private String header() {
    StringBuilder html = ReportHeader.title("sweep", report.path("sweepId").asText(), report);
    List<String> meta = new ArrayList<>();
    report
        .path("vary")
        .fields()
        .forEachRemaining(
            e ->
                meta.add(
                    "<code>"
                        + escape(e.getKey())
                        + "</code> = "
                        + escape(SweepSections.texts(e.getValue()))));
    meta.add("seeds " + escape(SweepSections.texts(report.path("seeds"))));
    int runs = 0;
    for (JsonNode c : report.path("configs")) {
      runs += c.path("runs").size();
    }
    meta.add(
        report.path("configs").size()
            + " configs × "
            + report.path("seeds").size()
            + " seeds = "
            + runs
            + " runs");
    html.append(String.join(" · ", meta)).append("</p>");
    html.append("<div class=\"tiles\" id=\"best\">").append(SweepSections.bestTiles(report));
    return html.append("</div>")
        .append(FindingsList.summaryHtml(report.path("findings")))
        .append("</header>")
        .toString();
  }

  private static String section(String id, String title, java.util.function.Supplier<String> body) {
    return "<section id=\""
        + id
        + "\"><h2>"
        + escape(title)
        + "</h2>"
        + HtmlReport.part(id, body)
        + "</section>";
  }
}
