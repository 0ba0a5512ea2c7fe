package io.tunelab.report.html;

import static io.tunelab.report.html.Html.escape;

import java.util.Map;

/**
 * The learning-curves section: loss, accuracy and learning rate over epochs with the noise bands,
 * and notes on how to read them.
 */
final class CurveSection {
  private CurveSection() {}

  /**
   * The section's body.
   *
   * @param view the run
   * @param bands each arm's validation noise bands, by arm name
   */
  static String render(RunView view, Map<String, ValidationBands> bands) {
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
}
