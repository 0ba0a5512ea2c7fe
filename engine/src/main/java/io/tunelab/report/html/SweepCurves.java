package io.tunelab.report.html;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The overlaid validation loss curves of a sweep's configs: per config the mean over its seeds per
 * epoch (the report's {@code configs[].curve}) with the 95% interval of that mean as a band, one
 * colour per config.
 */
final class SweepCurves {
  private static final String[] COLOURS = {
    "#2563eb", "#ea580c", "#059669", "#7c3aed", "#db2777", "#0891b2", "#65a30d", "#b45309",
    "#4f46e5", "#be123c"
  };

  private SweepCurves() {}

  /** A config's colour, the same in the chart and the tables. */
  static String colour(int config) {
    return COLOURS[(Math.max(config, 1) - 1) % COLOURS.length];
  }

  /** The chart and a note on how to read it. */
  static String render(JsonNode report) {
    LineChart chart =
        new LineChart(
                "chart-sweep-val-loss",
                "epoch",
                "validation loss (mean over seeds)",
                Html::tick,
                v -> Html.num(v, 4))
            .capOutliers()
            .markNonFinite()
            .clamp(0, Double.POSITIVE_INFINITY)
            .bandLabel("95% interval of the mean over seeds");
    double highestMean = Double.NaN;
    for (JsonNode c : report.path("configs")) {
      JsonNode curve = c.path("curve");
      int n = curve.path("epoch").size();
      if (n == 0) {
        continue;
      }
      double[] x = new double[n];
      double[] y = new double[n];
      double[] low = new double[n];
      double[] high = new double[n];
      for (int i = 0; i < n; i++) {
        x[i] = curve.path("epoch").path(i).asDouble();
        y[i] = number(curve.path("valLoss").path("mean").path(i));
        if (Double.isFinite(y[i]) && !(y[i] <= highestMean)) {
          highestMean = y[i];
        }
        low[i] = number(curve.path("valLoss").path("low").path(i));
        high[i] = number(curve.path("valLoss").path("high").path(i));
        if (!(low[i] < high[i])) {
          low[i] = Double.NaN;
          high[i] = Double.NaN;
        }
      }
      int config = c.path("config").asInt();
      String values = SweepSections.label(c.path("values"));
      chart.add(
          new LineChart.Series(
              "config " + config,
              "val",
              "config " + config + (values.isEmpty() ? "" : " (" + values + ")"),
              colour(config),
              false,
              x,
              y,
              low,
              high,
              -1));
    }
    if (Double.isFinite(highestMean)) {
      // a band over two seeds reaches far (t = 12.7): cut it at 1.5 times the highest mean so the
      // lines stay readable; the report JSON keeps the whole interval
      chart.clamp(0, 1.5 * highestMean);
    }
    if (!chart.hasData()) {
      return "<p class=\"omitted\">No epochs yet.</p>";
    }
    return "<figure class=\"chart-figure\">"
        + chart.render()
        + "</figure><p class=\"caption\">One line per config: the validation loss of its fine-tune"
        + " arm averaged over the seeds that completed (over its failed or running runs when none"
        + " did); the band is the 95% interval of that mean where two or more seeds reached the"
        + " epoch, cut at the chart's top edge. A cross at the top edge marks a loss that is not a"
        + " number (a diverged run).</p>";
  }

  static double number(JsonNode n) {
    return n.isNumber() ? n.asDouble() : Double.NaN;
  }
}
