package io.tunelab.report;

import com.fasterxml.jackson.databind.JsonNode;
import io.tunelab.report.html.HtmlReport;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Renders a report JSON as Markdown or as a self-contained HTML page ({@link HtmlReport}). The HTML
 * page embeds the preview grid of augmented training images ({@code dataset.augmentedSamples}, an
 * object key) as a {@code data:} URI when the caller can read the object; Markdown names the key.
 */
public final class ReportRenderer {
  private static final String PREVIEW = "Augmented training samples";
  private static final String PREVIEW_CAPTION =
      "rows: training images; columns: the stored "
          + "image, then what epochs 1, 2, 3 and 4 train on";

  /** The report as Markdown. */
  public String markdown(JsonNode report) {
    StringBuilder md = new StringBuilder();
    md.append("# tunelab run ").append(report.path("runId").asText()).append("\n\n");
    md.append("Status: **").append(report.path("status").asText()).append("**");
    if (report.hasNonNull("error")) {
      md.append(" — ").append(report.path("error").asText());
    }
    md.append("\n\n## Data\n\n");
    JsonNode dataset = report.path("dataset");
    md.append("| class | train | val | test |\n|---|---:|---:|---:|\n");
    for (JsonNode cls : dataset.path("classes")) {
      String c = cls.asText();
      JsonNode splits = dataset.path("splits");
      md.append("| ")
          .append(c)
          .append(" | ")
          .append(splits.path("train").path(c).asInt())
          .append(" | ")
          .append(splits.path("val").path(c).asInt())
          .append(" | ")
          .append(splits.path("test").path(c).asInt())
          .append(" |\n");
    }
    String input = ImageInput.sentence(dataset);
    if (input != null) {
      md.append("\n").append(input).append("\n");
    }
    md.append("\nRejected files: ")
        .append(dataset.path("rejected").size())
        .append("; duplicates across splits: ")
        .append(dataset.path("duplicatesAcrossSplits").asInt())
        .append("\n");
    for (JsonNode r : dataset.path("rejected")) {
      md.append("- `")
          .append(r.path("path").asText())
          .append("`: ")
          .append(r.path("reason").asText())
          .append("\n");
    }
    if (dataset.hasNonNull("augmentedSamples")) {
      md.append("\n")
          .append(PREVIEW)
          .append(" (")
          .append(PREVIEW_CAPTION)
          .append("): `")
          .append(dataset.path("augmentedSamples").asText())
          .append("`\n");
    }
    md.append("\n## Arms\n");
    for (Iterator<Map.Entry<String, JsonNode>> it = report.path("arms").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> arm = it.next();
      JsonNode a = arm.getValue();
      md.append("\n### ").append(arm.getKey()).append("\n\n");
      md.append("| epoch | train loss | train acc | val loss | val acc | lr | s |\n")
          .append("|---:|---:|---:|---:|---:|---:|---:|\n");
      for (JsonNode e : a.path("epochs")) {
        md.append(
            String.format(
                Locale.ROOT,
                "| %d | %s | %s | %s | %s | %.2g | %.1f |%n",
                e.path("epoch").asInt(),
                num(e.path("trainLoss")),
                num(e.path("trainAcc")),
                num(e.path("valLoss")),
                num(e.path("valAcc")),
                e.path("lr").asDouble(),
                e.path("seconds").asDouble()));
      }
      md.append("\nBest epoch: ")
          .append(a.path("bestEpoch").asText("-"))
          .append(a.path("stoppedEarly").asBoolean() ? " (stopped early)" : "");
      if (a.path("test").isObject()) {
        md.append(
            String.format(
                Locale.ROOT,
                "; test accuracy %.4f, loss %.4f",
                a.path("test").path("acc").asDouble(),
                a.path("test").path("loss").asDouble()));
      }
      md.append("\n");
      for (JsonNode note : a.path("notes")) {
        md.append("\n> ").append(note.asText()).append("\n");
      }
    }
    JsonNode c = report.path("comparison");
    if (c.isObject()) {
      md.append(
          String.format(
              Locale.ROOT,
              "%n## Comparison%n%nWinner: **%s**; test accuracy delta %+.4f; McNemar p = %.3g%n",
              c.path("winner").asText(),
              c.path("testAccDelta").asDouble(),
              c.path("pValue").asDouble()));
    }
    md.append("\n## Findings\n\n");
    Map<String, Integer> bySeverity = new java.util.LinkedHashMap<>();
    for (String severity : new String[] {"critical", "warning", "info"}) {
      bySeverity.put(severity, 0);
    }
    for (JsonNode f : report.path("findings")) {
      bySeverity.merge(f.path("severity").asText(), 1, Integer::sum);
    }
    if (report.path("findings").size() > 0) {
      md.append(
          String.format(
              Locale.ROOT,
              "%d critical, %d warning, %d info%n%n",
              bySeverity.get("critical"),
              bySeverity.get("warning"),
              bySeverity.get("info")));
    }
    for (JsonNode f : report.path("findings")) {
      finding(md, f, f.path("arm").asText());
    }
    return md.toString();
  }

  /**
   * A finding as a Markdown list item: code, severity and {@code scope} (the arm, or a sweep's
   * configs), title, then its evidence and recommendation.
   */
  public static void finding(StringBuilder md, JsonNode f, String scope) {
    md.append("- **")
        .append(f.path("code").asText())
        .append("** (")
        .append(f.path("severity").asText())
        .append(", ")
        .append(scope)
        .append("): ")
        .append(f.path("title").asText())
        .append("\n  - Evidence: ")
        .append(f.path("evidence").asText())
        .append("\n  - Recommendation: ")
        .append(f.path("recommendation").asText())
        .append("\n");
  }

  /**
   * The report as a self-contained HTML page from the report JSON alone: the charts and tables that
   * need objects of the bucket (predictions, images) are left out with a note.
   */
  public String html(JsonNode report) {
    return html(report, key -> null);
  }

  /**
   * The report as one self-contained HTML page (inline CSS and SVG, images as {@code data:} URIs,
   * no script, no external resources): findings, learning curves with noise bands, learning rates,
   * calibration, confusion matrices, per-class accuracy, suspected mislabelled images, data and
   * epochs. See {@link HtmlReport}.
   *
   * @param objects reads an object of the bucket by key; returns {@code null} when it cannot
   */
  public String html(JsonNode report, Function<String, byte[]> objects) {
    return new HtmlReport(report, objects, PREVIEW, PREVIEW_CAPTION).render();
  }

  private static String num(JsonNode n) {
    return n.isNumber() ? String.format(Locale.ROOT, "%.4f", n.asDouble()) : "NaN";
  }
}
