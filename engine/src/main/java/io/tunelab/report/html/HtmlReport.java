package io.tunelab.report.html;

import static io.tunelab.report.html.Html.escape;

import com.fasterxml.jackson.databind.JsonNode;
import io.tunelab.diagnosis.EpochPredictions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
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
      html.append(section("mislabelled", "Images that look mislabelled", this::mislabelled));
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

  private static String part(String what, Supplier<String> body) {
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

  private String header() {
    StringBuilder html = new StringBuilder("<header class=\"top\">");
    String status = report.path("status").asText("UNKNOWN");
    html.append("<h1>tunelab run <span class=\"run-id\">")
        .append(escape(view.runId()))
        .append("</span> <span class=\"status ")
        .append(escape(status.toLowerCase(Locale.ROOT)))
        .append("\">")
        .append(escape(status))
        .append("</span></h1><p class=\"meta\">");
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
    if (report.hasNonNull("phase") && "RUNNING".equals(status)) {
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
        .append(labelNoise() != null ? "<a href=\"#mislabelled\">Mislabelled?</a>" : "")
        .append("<a href=\"#data\">Data</a><a href=\"#epochs\">Epochs</a></nav>");
    return html.append("</header>").toString();
  }

  private String findings() {
    return FindingsList.render(report.path("findings"), view.colours());
  }

  private String curves() {
    if (view.arms().stream().allMatch(a -> a.epochs().isEmpty())) {
      return "<p class=\"omitted\">No epochs yet.</p>";
    }
    CurveCharts charts = new CurveCharts(view, bands);
    StringBuilder html = new StringBuilder("<div class=\"grid2\">");
    html.append(figure("Loss", charts.loss()));
    html.append(figure("Accuracy", charts.accuracy()));
    html.append(figure("Learning rate", charts.learningRate()));
    int lossBands = bands.values().stream().mapToInt(ValidationBands::lossBands).sum();
    int size = bands.values().stream().mapToInt(ValidationBands::size).max().orElse(0);
    html.append(
        "<div class=\"chart-notes\"><p>Dashed lines: training; solid lines: validation; "
            + "one colour per arm; a ring marks each arm's best epoch. A cross at the top edge marks a "
            + "loss that is not a number (the arm diverged), a triangle a value far off the scale.</p><p>");
    if (size > 0) {
      html.append("The shaded bands are the noise that ")
          .append(size)
          .append(" validation images imply " + "(95%): the Wilson interval for accuracy");
      html.append(
          lossBands > 0
              ? " and a bootstrap over the per-image validation losses for loss. "
              : ". ");
      html.append("Epoch-to-epoch changes inside the band are noise, not learning.");
    } else {
      html.append("No noise band: the validation set's size is unknown.");
    }
    if (lossBands == 0) {
      html.append(
          " <span class=\"omitted\">No loss band: the per-epoch validation predictions are not "
              + "available.</span>");
    }
    return html.append("</p></div></div>").toString();
  }

  private static String figure(String title, LineChart chart) {
    return "<figure class=\"chart-figure\"><figcaption class=\"title\">"
        + escape(title)
        + "</figcaption>"
        + (chart.hasData() ? chart.render() : "<p class=\"omitted\">No finite values to draw.</p>")
        + "</figure>";
  }

  private String bestEpoch() {
    Map<String, EpochPredictions> best = new LinkedHashMap<>();
    List<String> missing = new ArrayList<>();
    for (RunView.Arm arm : view.arms()) {
      EpochPredictions p =
          arm.bestEpoch() > 0 ? evidence.predictions(arm.name(), arm.bestEpoch()) : null;
      if (p != null) {
        best.put(arm.name(), p);
      } else {
        missing.add(arm.name());
      }
    }
    StringBuilder html = new StringBuilder();
    if (best.isEmpty()) {
      return html.append(
              "<p class=\"omitted\" id=\"no-predictions\">Reliability diagrams, confusion "
                  + "matrices and per-class accuracy are left out: they need the stored validation "
                  + "predictions of each arm's best epoch, which are not available here.</p>")
          .toString();
    }
    html.append(
        "<h3>Reliability</h3><p class=\"caption\">Bars: accuracy of the validation images "
            + "whose confidence falls into each bin; red: the gap to their mean confidence; the diagonal "
            + "is perfect calibration. ECE is the image-weighted mean gap.</p><div class=\"grid-auto\">");
    for (Map.Entry<String, EpochPredictions> e : best.entrySet()) {
      html.append(
          part(
              "reliability",
              () ->
                  new ReliabilityDiagram(e.getKey(), view.colours().get(e.getKey()), e.getValue())
                      .render()));
    }
    html.append("</div><h3>Confusion matrices (validation)</h3><div class=\"grid-auto wide\">");
    for (Map.Entry<String, EpochPredictions> e : best.entrySet()) {
      html.append(
          part(
              "confusion",
              () ->
                  ConfusionMatrixTable.classCount(e.getValue(), view.classes())
                          > ConfusionMatrixTable.MAX_CLASSES
                      ? "<p class=\"omitted\">"
                          + escape(e.getKey())
                          + ": too many classes for a matrix.</p>"
                      : new ConfusionMatrixTable(
                              e.getKey(),
                              view.colours().get(e.getKey()),
                              e.getValue(),
                              view.classes())
                          .render()));
    }
    html.append("</div><h3>Per-class accuracy (validation)</h3>");
    PerClassAccuracyChart bars = new PerClassAccuracyChart(view.classes());
    best.forEach(
        (arm, p) -> bars.add(new PerClassAccuracyChart.Bars(arm, view.colours().get(arm), p)));
    html.append(part("per-class accuracy", bars::render));
    if (!missing.isEmpty()) {
      html.append("<p class=\"omitted\">Left out for ")
          .append(escape(String.join(", ", missing)))
          .append(": no stored validation predictions of the best epoch.</p>");
    }
    return html.toString();
  }

  private JsonNode labelNoise() {
    for (JsonNode f : report.path("findings")) {
      if ("label-noise".equals(f.path("code").asText())) {
        return f;
      }
    }
    return null;
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

  private String data() {
    JsonNode dataset = report.path("dataset");
    StringBuilder html = new StringBuilder("<div class=\"grid-data\"><div>");
    html.append(DataTables.counts(dataset))
        .append("</div><div>")
        .append(DataTables.duplicates(dataset))
        .append(DataTables.rejected(dataset))
        .append("</div></div>");
    if (dataset.hasNonNull("augmentedSamples")) {
      String key = dataset.path("augmentedSamples").asText();
      byte[] png = evidence.object(key);
      html.append("<h3>").append(escape(previewTitle)).append("</h3>");
      if (png != null) {
        html.append("<figure class=\"preview\"><img alt=\"")
            .append(escape(previewTitle))
            .append("\" src=\"")
            .append(Html.pngUri(png))
            .append("\"><figcaption>")
            .append(escape(previewTitle))
            .append(": ")
            .append(escape(previewCaption))
            .append("</figcaption></figure>");
      } else {
        html.append("<p class=\"omitted\">")
            .append(escape(previewTitle))
            .append(" (")
            .append(escape(previewCaption))
            .append(") are stored as <code>")
            .append(escape(key))
            .append("</code>, which is not available here.</p>");
      }
    }
    return html.toString();
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

  private static String signedPct(double v) {
    return Double.isFinite(v) ? String.format(Locale.ROOT, "%+.1f pp", 100 * v) : "–";
  }
}
