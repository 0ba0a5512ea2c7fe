package io.tunelab.report.html;

import static io.tunelab.report.html.Html.escape;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.DoubleFunction;

/**
 * A line chart over epochs as inline SVG: one line per series, dashed or solid, a point per epoch
 * (with a tooltip), an optional shaded band around a series, a ring on each series' best epoch,
 * axes with round ticks and labels, and an HTML legend below.
 *
 * <p>Values that are not finite (a diverged epoch) break the line, and can be marked with a cross
 * at the top edge; values far above the rest (a loss spike) can be drawn at the top edge with a
 * triangle, so that one spike does not flatten every other curve.
 */
final class LineChart {
  static final int WIDTH = 600;
  static final int HEIGHT = 330;
  static final int LEFT = 64;
  static final int RIGHT = 16;
  static final int TOP = 14;
  static final int BOTTOM = 46;

  /**
   * One line.
   *
   * @param arm the arm it belongs to
   * @param kind what it shows ({@code train}, {@code val}, {@code lr}); a CSS class
   * @param label its legend entry
   * @param colour its CSS colour
   * @param dashed whether it is drawn dashed
   * @param x the epochs
   * @param y the values (NaN where unknown)
   * @param low the band's lower edge per epoch, or {@code null} for no band
   * @param high the band's upper edge per epoch, or {@code null}
   * @param best the epoch to ring, or a negative number for none
   */
  record Series(
      String arm,
      String kind,
      String label,
      String colour,
      boolean dashed,
      double[] x,
      double[] y,
      double[] low,
      double[] high,
      int best) {}

  private final String id;
  private final String xLabel;
  private final String yLabel;
  private final DoubleFunction<String> tickFormat;
  private final DoubleFunction<String> valueFormat;
  private final List<Series> series = new ArrayList<>();
  private boolean logY;
  private boolean includeZero;
  private boolean capOutliers;
  private boolean underlay;
  private boolean markNonFinite;
  private double floor = Double.NEGATIVE_INFINITY;
  private double ceiling = Double.POSITIVE_INFINITY;
  private String bandLabel;
  private String dashedLabel;
  private String solidLabel;

  /**
   * An empty chart.
   *
   * @param id the SVG element's id (also the prefix of the ids inside it)
   * @param xLabel the x axis title
   * @param yLabel the y axis title
   * @param tickFormat formats y tick labels
   * @param valueFormat formats values in tooltips
   */
  LineChart(
      String id,
      String xLabel,
      String yLabel,
      DoubleFunction<String> tickFormat,
      DoubleFunction<String> valueFormat) {
    this.id = id;
    this.xLabel = xLabel;
    this.yLabel = yLabel;
    this.tickFormat = tickFormat;
    this.valueFormat = valueFormat;
  }

  /** Adds a line. */
  LineChart add(Series s) {
    series.add(s);
    return this;
  }

  /**
   * Draws the y axis logarithmically when every value is positive and they span more than two
   * decades; otherwise linearly from zero.
   */
  LineChart logWhenWide() {
    this.logY = true;
    this.includeZero = true;
    return this;
  }

  /** Draws outliers at the top edge instead of stretching the axis to them. */
  LineChart capOutliers() {
    this.capOutliers = true;
    return this;
  }

  /**
   * Marks every value that is not a number (a diverged loss) with a cross at the top edge; without
   * this, such values only break the line. The training value of an epoch 0 row (the evaluation
   * before training has none) is never marked.
   */
  LineChart markNonFinite() {
    this.markNonFinite = true;
    return this;
  }

  /**
   * Draws earlier lines wider than later ones, so that a line hidden under another (two arms with
   * the same learning rate) still shows as a coloured edge.
   */
  LineChart widenEarlierLines() {
    this.underlay = true;
    return this;
  }

  /** Keeps the y axis within {@code [floor, ceiling]} (e.g. 0 and 1 for accuracies). */
  LineChart clamp(double floor, double ceiling) {
    this.floor = floor;
    this.ceiling = ceiling;
    return this;
  }

  /** Names the shaded bands in the legend. */
  LineChart bandLabel(String label) {
    this.bandLabel = label;
    return this;
  }

  /**
   * Makes the legend name each arm once (by colour) and the two line styles once, instead of an
   * entry per line.
   */
  LineChart legendByArm(String dashedLabel, String solidLabel) {
    this.dashedLabel = dashedLabel;
    this.solidLabel = solidLabel;
    return this;
  }

  /** Whether any series has at least one finite value. */
  boolean hasData() {
    return series.stream().anyMatch(s -> Arrays.stream(s.y()).anyMatch(Double::isFinite));
  }

  /** The chart: an SVG element followed by its legend. */
  String render() {
    double[] xs = series.stream().flatMapToDouble(s -> Arrays.stream(s.x())).toArray();
    double xMin = Arrays.stream(xs).min().orElse(0);
    double xMax = Arrays.stream(xs).max().orElse(1);
    if (xMax - xMin < 1) {
      xMin -= 0.5;
      xMax += 0.5;
    }
    Scale x = Scale.linear(xMin, xMax, LEFT, WIDTH - RIGHT);
    double cap = capOutliers ? ValueAxis.cap(series) : Double.POSITIVE_INFINITY;
    Scale y = ValueAxis.scale(series, cap, logY, includeZero, floor, ceiling);
    double top = TOP;

    StringBuilder svg = new StringBuilder(8192);
    ChartAxes.draw(svg, id, xLabel, yLabel, tickFormat, x, y);
    SeriesPainter painter = new SeriesPainter(x, y, cap, top, valueFormat, markNonFinite);
    svg.append("<g clip-path=\"url(#").append(escape(id)).append("-clip)\">");
    for (Series s : series) {
      if (s.low() != null && s.high() != null) {
        painter.band(svg, s);
      }
    }
    for (int i = 0; i < series.size(); i++) {
      painter.line(svg, series.get(i), underlay ? 2 + 2.5 * (series.size() - 1 - i) : 2);
    }
    svg.append("</g>");
    for (Series s : series) {
      painter.marks(svg, s);
    }
    svg.append("</svg>");
    return svg.append(ChartLegend.render(series, dashedLabel, solidLabel, bandLabel)).toString();
  }
}
