package io.tunelab.report.html;

import static io.tunelab.report.html.Html.escape;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The report as one self-contained HTML page: inline CSS and inline SVG, images as {@code data:}
 * URIs, no script and nothing fetched from anywhere. It shows the verdict and the findings first,
 * then the learning curves with their noise bands and the learning rate, calibration, confusion
 * matrices and per-class accuracy at each arm's best epoch, the images that look mislabelled, the
 * data and every epoch.
 *
 * <p>Only the report JSON is required. Whatever else a part needs (validation predictions, the
 * out-of-sample predictions, the training shard, the augmented preview) is read through the {@code
 * objects} function; a part whose evidence is missing is left out with a short note, and a part
 * that fails for any other reason is replaced by a note, so rendering never throws.
 */
public final class HtmlReport {
  private final JsonNode report;
  private final RunView view;
  private final StoredEvidence evidence;
  private final String previewTitle;
  private final String previewCaption;
  private final Map<String, ValidationBands> bands = new LinkedHashMap<>();

  /**
   * A page for a report.
   *
   * @param report the report JSON of the contract
   * @param objects reads an object of the bucket by key; returns {@code null} when it cannot
   * @param previewTitle the title of the augmented-samples preview
   * @param previewCaption what the preview's rows and columns are
   */
  public HtmlReport(
      JsonNode report,
      Function<String, byte[]> objects,
      String previewTitle,
      String previewCaption) {
    this.report = report;
    this.view = RunView.of(report);
    this.evidence = new StoredEvidence(view.runId(), objects == null ? key -> null : objects);
    this.previewTitle = previewTitle;
    this.previewCaption = previewCaption;
  }

  /** The page. */
  public String render() {
    for (RunView.Arm arm : view.arms()) {
      try {
        bands.put(
            arm.name(),
            ValidationBands.of(
                arm, view.validationSize(), epoch -> evidence.predictions(arm.name(), epoch)));
      } catch (RuntimeException e) {
        // the charts are drawn without this arm's bands
      }
    }
    StringBuilder html = new StringBuilder(64 * 1024);
    html.append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
        .append("<title>tunelab run ")
        .append(escape(view.runId()))
        .append("</title><style>")
        .append(Style.CSS)
        .append("</style></head><body data-status=\"")
        .append(escape(report.path("status").asText()))
        .append("\"><main>");
    html.append(part("header", this::header));
    html.append(section("findings", "Findings", this::findings));
    html.append(section("curves", "Learning curves", this::curves));
    html.append(
        section("best-epoch", "At the best epoch: calibration and errors", this::bestEpoch));
    if (labelNoise() != null) {
      html.append(
          table()
              ? section("mislabelled", "Rows that look mislabelled", this::mislabelledRows)
              : section("mislabelled", "Images that look mislabelled", this::mislabelled));
    }
    html.append(section("data", "Data", this::data));
    html.append(section("epochs", "Epochs", this::epochs));
    html.append(
        "<footer>A self-contained page written by tunelab: no scripts, nothing loaded from "
            + "elsewhere. Hover over points, bars and cells for their values.</footer>");
    return html.append("</main></body></html>\n").toString();
  }

  private String section(String id, String title, Supplier<String> body) {
    return "<section id=\""
        + id
        + "\"><h2>"
        + escape(title)
        + "</h2>"
        + part(id, body)
        + "</section>";
  }

  /** A part of the page, or a note in its place when drawing it fails. */
  static String part(String what, Supplier<String> body) {
    try {
      return body.get();
    } catch (RuntimeException e) {
      return "<p class=\"omitted\">This part could not be drawn ("
          + escape(what)
          + ": "
          + escape(String.valueOf(e.getMessage()))
          + ").</p>";
    }
  }

  private String findings() {
    return FindingsList.render(report.path("findings"), view.colours());
  }

  private String header() {
    return ReportHeader.render(report, view);
  }

  private String curves() {
    return CurveSection.render(view, bands);
  }

  private String bestEpoch() {
    return BestEpochSection.render(view, evidence);
  }

  private JsonNode labelNoise() {
    return FindingsList.labelNoise(report.path("findings"));
  }

  private String mislabelled() {
    JsonNode finding = labelNoise();
    List<ImageGrid.Tile> tiles =
        SuspectedLabelErrors.tiles(
            finding.path("evidence").asText(),
            evidence.outOfSample(),
            evidence.trainShard(report.path("dataset").path("ingestId").asText(null)),
            view);
    if (tiles.isEmpty()) {
      return "<p class=\"omitted\">The images are left out: the out-of-sample predictions or the "
          + "training images are not available here. The label-noise finding names them.</p>";
    }
    return "<p class=\"caption\">Training images the label-noise finding names, most confident "
        + "disagreement first: the given label → the label the out-of-sample models prefer, and the "
        + "probability of each.</p>"
        + ImageGrid.render("mislabelled-grid", tiles);
  }

  /** Whether the run's data is a table (the report's {@code dataset.table}). */
  private boolean table() {
    return report.path("dataset").path("table").isObject();
  }

  private String mislabelledRows() {
    String rows =
        SuspectedLabelErrors.rows(
            labelNoise().path("evidence").asText(), evidence.outOfSample(), view);
    if (rows.isEmpty()) {
      return "<p class=\"omitted\">The rows are left out: the out-of-sample predictions are not "
          + "available here. The label-noise finding names them.</p>";
    }
    return "<p class=\"caption\">Training rows the label-noise finding names, most confident "
        + "disagreement first: where each row is, its given label, the label the out-of-sample "
        + "models prefer, and the probability of each.</p>"
        + rows;
  }

  private String data() {
    return DataSection.render(report, evidence, previewTitle, previewCaption);
  }

  private String epochs() {
    StringBuilder html = new StringBuilder("<div class=\"epoch-tables\">");
    for (RunView.Arm arm : view.arms()) {
      html.append(
          part(
              "epochs of " + arm.name(),
              () ->
                  EpochTables.render(
                      arm, report.path("arms").path(arm.name()), bands.get(arm.name()))));
    }
    if (view.arms().isEmpty()) {
      html.append("<p class=\"omitted\">No arms yet.</p>");
    }
    return html.append("</div>").toString();
  }
}
