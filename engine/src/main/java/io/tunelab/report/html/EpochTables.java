package io.tunelab.report.html;

import static io.tunelab.report.html.Html.escape;

import com.fasterxml.jackson.databind.JsonNode;
import io.tunelab.workflows.model.EpochMetrics;

/**
 * An arm's epochs as a table (losses, accuracies with their noise bands, learning rate, seconds;
 * the best epoch highlighted, diverged values marked) under a line with the arm's best epoch, early
 * stop, resume and test result, followed by the arm's notes.
 */
final class EpochTables {
  private EpochTables() {}

  /**
   * One arm's block.
   *
   * @param arm the arm's epochs
   * @param json the arm's node of the report (status, test, notes, error)
   * @param bands the arm's noise bands, or {@code null}
   */
  static String render(RunView.Arm arm, JsonNode json, ValidationBands bands) {
    StringBuilder html = new StringBuilder();
    html.append("<div class=\"arm-block\" data-arm=\"")
        .append(escape(arm.name()))
        .append("\">")
        .append("<h3><span class=\"swatch\" style=\"background:")
        .append(arm.colour())
        .append("\"></span>")
        .append(escape(arm.name()))
        .append("</h3><p class=\"arm-summary\">");
    if (json.hasNonNull("status")) {
      html.append("Status <b>").append(escape(json.path("status").asText())).append("</b>; ");
    }
    html.append("best epoch <b>")
        .append(arm.bestEpoch() > 0 ? String.valueOf(arm.bestEpoch()) : "–")
        .append("</b>");
    if (json.path("stoppedEarly").asBoolean()) {
      html.append(" (stopped early)");
    }
    if (json.path("resumedFromEpoch").canConvertToInt()) {
      html.append("; resumed after epoch ").append(json.path("resumedFromEpoch").asInt());
    }
    if (json.path("test").isObject()) {
      html.append("; test accuracy <b>")
          .append(Html.pct(RunView.number(json.path("test").path("acc")), 1))
          .append("</b>, test loss ")
          .append(Html.num(RunView.number(json.path("test").path("loss")), 4));
    }
    html.append(".</p>");
    if (json.hasNonNull("error")) {
      html.append("<p class=\"error\">").append(escape(json.path("error").asText())).append("</p>");
    }
    html.append("<table class=\"epochs\" id=\"epochs-")
        .append(escape(arm.name()))
        .append("\"><thead><tr>")
        .append(
            "<th class=\"num\">epoch</th><th class=\"num\">train loss</th><th class=\"num\">train acc</th>")
        .append(
            "<th class=\"num\">val loss</th><th class=\"num\">val acc</th><th class=\"num\">lr</th>")
        .append("<th class=\"num\">seconds</th></tr></thead><tbody>");
    for (int i = 0; i < arm.epochs().size(); i++) {
      EpochMetrics e = arm.epochs().get(i);
      boolean best = e.epoch() == arm.bestEpoch();
      html.append("<tr data-epoch=\"")
          .append(e.epoch())
          .append('"')
          .append(best ? " class=\"best\"" : "")
          .append("><td class=\"num\">")
          // Epoch 0: the model the arm started from, evaluated before its first step.
          .append(e.epoch() == 0 ? "0 (before training)" : String.valueOf(e.epoch()))
          .append(best ? " ★" : "")
          .append("</td>")
          .append(cell(Html.num(e.trainLoss(), 4), e.trainLoss()))
          .append(cell(Html.pct(e.trainAcc(), 1), e.trainAcc()))
          .append(
              cell(
                  Html.num(e.valLoss(), 4)
                      + band(
                          bands == null ? null : bands.lossLow(),
                          bands == null ? null : bands.lossHigh(),
                          i,
                          false),
                  e.valLoss()))
          .append(
              cell(
                  Html.pct(e.valAcc(), 1)
                      + band(
                          bands == null ? null : bands.accLow(),
                          bands == null ? null : bands.accHigh(),
                          i,
                          true),
                  e.valAcc()))
          .append("<td class=\"num\">")
          .append(Html.sig(e.lr()))
          .append("</td><td class=\"num\">")
          .append(Html.num(e.seconds(), 1))
          .append("</td></tr>");
    }
    html.append("</tbody></table>");
    for (JsonNode note : json.path("notes")) {
      html.append("<p class=\"note\">").append(escape(note.asText())).append("</p>");
    }
    return html.append("</div>").toString();
  }

  private static String cell(String text, double value) {
    return Double.isFinite(value)
        ? "<td class=\"num\">" + text + "</td>"
        : "<td class=\"num diverged\" title=\"not a number: the arm diverged\">NaN</td>";
  }

  private static String band(double[] low, double[] high, int i, boolean percent) {
    if (low == null || high == null || !Double.isFinite(low[i]) || !Double.isFinite(high[i])) {
      return "";
    }
    double half = (high[i] - low[i]) / 2;
    return " <span class=\"pm\">± " + (percent ? Html.pct(half, 1) : Html.num(half, 3)) + "</span>";
  }
}
