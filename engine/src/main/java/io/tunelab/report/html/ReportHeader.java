package io.tunelab.report.html;

import static io.tunelab.report.html.Html.escape;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The top of the report page: the run's id and status, what it was run on, a tile per arm with its
 * test accuracy, the comparison's winner and McNemar test, the registered model, the findings'
 * summary and the page's navigation.
 */
final class ReportHeader {
  private ReportHeader() {}

  /**
   * The opening of a page's header: {@code tunelab NOUN ID} and the report's status, up to the
   * start of its line of facts.
   */
  static StringBuilder title(String noun, String id, JsonNode report) {
    String status = report.path("status").asText("UNKNOWN");
    return new StringBuilder("<header class=\"top\">")
        .append("<h1>tunelab ")
        .append(noun)
        .append(" <span class=\"run-id\">")
        .append(escape(id))
        .append("</span> <span class=\"status ")
        .append(escape(status.toLowerCase(Locale.ROOT)))
        .append("\">")
        .append(escape(status))
        .append("</span></h1><p class=\"meta\">");
  }

  /** The header of a report. */
  static String render(JsonNode report, RunView view) {
    StringBuilder html = title("run", view.runId(), report);
    List<String> meta = new ArrayList<>();
    if (report.hasNonNull("kind")) {
      meta.add(escape(report.path("kind").asText()));
    }
    if (!view.classes().isEmpty()) {
      meta.add(view.classes().size() + " classes");
    }
    if (view.validationSize() > 0) {
      meta.add(view.validationSize() + " validation images");
    }
    if (report.path("dataset").hasNonNull("shape")) {
      meta.add("images " + escape(report.path("dataset").path("shape").asText()));
    }
    if (report.hasNonNull("phase") && "RUNNING".equals(report.path("status").asText())) {
      meta.add("phase " + escape(report.path("phase").asText()));
    }
    html.append(String.join(" · ", meta)).append("</p>");
    if (report.hasNonNull("error")) {
      html.append("<p class=\"error\">")
          .append(escape(report.path("error").asText()))
          .append("</p>");
    }
    html.append("<div class=\"tiles\" id=\"comparison\">");
    for (RunView.Arm arm : view.arms()) {
      JsonNode test = report.path("arms").path(arm.name()).path("test");
      html.append("<div class=\"tile\" style=\"border-top-color:")
          .append(arm.colour())
          .append("\"><span class=\"label\">")
          .append(escape(arm.name()))
          .append(" test accuracy</span>")
          .append("<span class=\"value\" data-field=\"test-accuracy\">")
          .append(test.isObject() ? Html.pct(RunView.number(test.path("acc")), 1) : "–")
          .append("</span><span class=\"sub\">best epoch ")
          .append(arm.bestEpoch() > 0 ? String.valueOf(arm.bestEpoch()) : "–")
          .append("</span></div>");
    }
    JsonNode c = report.path("comparison");
    if (c.isObject()) {
      String winner = c.path("winner").asText();
      String colour = view.colours().getOrDefault(winner, "#64748b");
      html.append("<div class=\"tile\" style=\"border-top-color:")
          .append(colour)
          .append("\"><span class=\"label\">winner</span><span class=\"value\" id=\"winner\">")
          .append(escape(winner))
          .append("</span><span class=\"sub\">test accuracy Δ ")
          .append(signedPct(RunView.number(c.path("testAccDelta"))))
          .append(" (fine-tune − scratch)</span></div>")
          .append(
              "<div class=\"tile\"><span class=\"label\">McNemar p</span><span class=\"value\" id=\"p-value\">")
          .append(Html.sig(RunView.number(c.path("pValue"))))
          .append("</span><span class=\"sub\">");
      if (c.has("finetuneOnlyCorrect") && c.has("scratchOnlyCorrect")) {
        html.append(c.path("finetuneOnlyCorrect").asInt())
            .append(" test images only fine-tune got right, ")
            .append(c.path("scratchOnlyCorrect").asInt())
            .append(" only scratch");
      } else {
        html.append(
            RunView.number(c.path("pValue")) < 0.05 ? "a real difference" : "no clear difference");
      }
      html.append("</span></div>");
    }
    JsonNode model = report.path("registeredModel");
    if (model.isObject()) {
      html.append(
              "<div class=\"tile\"><span class=\"label\">registered model</span><span class=\"value small\">")
          .append(escape(model.path("name").asText()))
          .append(" v")
          .append(model.path("version").asInt())
          .append("</span><span class=\"sub\">")
          .append(escape(model.path("architecture").asText()))
          .append(", test accuracy ")
          .append(Html.pct(RunView.number(model.path("testAcc")), 1))
          .append("</span></div>");
    }
    html.append("</div>").append(FindingsList.summaryHtml(report.path("findings")));
    html.append("<nav><a href=\"#findings\">Findings</a><a href=\"#curves\">Curves</a>")
        .append("<a href=\"#best-epoch\">Calibration &amp; errors</a>")
        .append(
            FindingsList.labelNoise(report.path("findings")) != null
                ? "<a href=\"#mislabelled\">Mislabelled?</a>"
                : "")
        .append("<a href=\"#data\">Data</a><a href=\"#epochs\">Epochs</a></nav>");
    return html.append("</header>").toString();
  }

  private static String signedPct(double v) {
    return Double.isFinite(v) ? String.format(Locale.ROOT, "%+.1f pp", 100 * v) : "–";
  }
}
