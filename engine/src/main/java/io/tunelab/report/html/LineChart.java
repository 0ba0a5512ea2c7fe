package io.tunelab.report.html;

import static io.tunelab.report.html.Html.escape;
import static io.tunelab.report.html.Html.xy;

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
  private static final int LEFT = 64;
  private static final int RIGHT = 16;
  private static final int TOP = 14;
  private static final int BOTTOM = 46;

  /** A value more than this many times the 75th percentile of the values is an outlier. */
  private static final double OUTLIER = 10;

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
    Scale y = yScale();
    double cap = capOutliers ? cap() : Double.POSITIVE_INFINITY;
    double top = TOP;
    double bottom = HEIGHT - BOTTOM;

    StringBuilder svg = new StringBuilder(8192);
    svg.append("<svg id=\"")
        .append(escape(id))
        .append("\" class=\"chart line-chart\" viewBox=\"0 0 ")
        .append(WIDTH)
        .append(' ')
        .append(HEIGHT)
        .append("\" role=\"img\" aria-label=\"")
        .append(escape(yLabel))
        .append(" by ")
        .append(escape(xLabel))
        .append("\">");
    svg.append("<defs><clipPath id=\"")
        .append(escape(id))
        .append("-clip\"><rect x=\"")
        .append(LEFT)
        .append("\" y=\"")
        .append(xy(top - 6))
        .append("\" width=\"")
        .append(WIDTH - LEFT - RIGHT)
        .append("\" height=\"")
        .append(xy(bottom - top + 12))
        .append("\"/></clipPath></defs>");
    // grid and axes
    svg.append("<g class=\"grid\">");
    for (double t : y.ticks(5)) {
      double py = y.at(t);
      svg.append("<line x1=\"")
          .append(LEFT)
          .append("\" x2=\"")
          .append(WIDTH - RIGHT)
          .append("\" y1=\"")
          .append(xy(py))
          .append("\" y2=\"")
          .append(xy(py))
          .append("\"/>");
    }
    svg.append("</g><g class=\"axis y-axis\">");
    for (double t : y.ticks(5)) {
      svg.append("<text x=\"")
          .append(LEFT - 6)
          .append("\" y=\"")
          .append(xy(y.at(t) + 4))
          .append("\" text-anchor=\"end\">")
          .append(escape(tickFormat.apply(t)))
          .append("</text>");
    }
    svg.append("<text class=\"axis-title\" transform=\"translate(14 ")
        .append(xy((top + bottom) / 2))
        .append(") rotate(-90)\" text-anchor=\"middle\">")
        .append(escape(yLabel))
        .append(y.isLog() ? " (log scale)" : "")
        .append("</text></g>");
    svg.append("<g class=\"axis x-axis\"><line x1=\"")
        .append(LEFT)
        .append("\" x2=\"")
        .append(WIDTH - RIGHT)
        .append("\" y1=\"")
        .append(xy(bottom))
        .append("\" y2=\"")
        .append(xy(bottom))
        .append("\"/>");
    for (double t : epochTicks(x.low(), x.high())) {
      double px = x.at(t);
      svg.append("<line x1=\"")
          .append(xy(px))
          .append("\" x2=\"")
          .append(xy(px))
          .append("\" y1=\"")
          .append(xy(bottom))
          .append("\" y2=\"")
          .append(xy(bottom + 4))
          .append("\"/><text x=\"")
          .append(xy(px))
          .append("\" y=\"")
          .append(xy(bottom + 17))
          .append("\" text-anchor=\"middle\">")
          .append((long) t)
          .append("</text>");
    }
    svg.append("<text class=\"axis-title\" x=\"")
        .append(xy((LEFT + WIDTH - RIGHT) / 2.0))
        .append("\" y=\"")
        .append(HEIGHT - 6)
        .append("\" text-anchor=\"middle\">")
        .append(escape(xLabel))
        .append("</text></g>");

    svg.append("<g clip-path=\"url(#").append(escape(id)).append("-clip)\">");
    for (Series s : series) {
      if (s.low() != null && s.high() != null) {
        band(svg, s, x, y, cap);
      }
    }
    for (int i = 0; i < series.size(); i++) {
      line(svg, series.get(i), x, y, cap, top, underlay ? 2 + 2.5 * (series.size() - 1 - i) : 2);
    }
    svg.append("</g>");
    for (Series s : series) {
      marks(svg, s, x, y, cap, top);
    }
    svg.append("</svg>");
    return svg.append(legend()).toString();
  }

  private Scale yScale() {
    double cap = capOutliers ? cap() : Double.POSITIVE_INFINITY;
    List<Double> values = new ArrayList<>();
    for (Series s : series) {
      addFinite(values, s.y(), cap);
      if (s.low() != null && s.high() != null) {
        addFinite(values, s.low(), cap);
        addFinite(values, s.high(), cap);
      }
    }
    double lo = values.stream().mapToDouble(Double::doubleValue).min().orElse(0);
    double hi = values.stream().mapToDouble(Double::doubleValue).max().orElse(1);
    lo = Math.max(lo, floor);
    hi = Math.min(hi, ceiling);
    double top = TOP;
    double bottom = HEIGHT - BOTTOM;
    if (logY && lo > 0 && hi / lo >= 100) {
      return Scale.log(lo, hi, bottom, top);
    }
    if (includeZero) {
      lo = Math.min(lo, 0);
    }
    double pad = (hi - lo) * 0.05;
    Scale nice =
        Scale.niceLinear(Math.max(floor, lo - pad), Math.min(ceiling, hi + pad), bottom, top);
    return Scale.linear(Math.max(floor, nice.low()), Math.min(ceiling, nice.high()), bottom, top);
  }

  private static void addFinite(List<Double> out, double[] values, double cap) {
    for (double v : values) {
      if (Double.isFinite(v) && v <= cap) {
        out.add(v);
      }
    }
  }

  /** The largest value still drawn to scale: outliers above it go to the top edge. */
  private double cap() {
    double[] all =
        series.stream()
            .flatMapToDouble(s -> Arrays.stream(s.y()))
            .filter(Double::isFinite)
            .sorted()
            .toArray();
    if (all.length < 4) {
      return Double.POSITIVE_INFINITY;
    }
    double p75 = all[(int) Math.floor(0.75 * (all.length - 1))];
    if (!(p75 > 0) || all[all.length - 1] <= OUTLIER * p75) {
      return Double.POSITIVE_INFINITY;
    }
    return OUTLIER * p75;
  }

  private static List<Double> epochTicks(double lo, double hi) {
    double step = Math.max(1, Math.round(Scale.niceStep((hi - lo) / 10)));
    List<Double> ticks = new ArrayList<>();
    for (double t = Math.ceil(lo / step) * step; t <= hi + 1e-9; t += step) {
      ticks.add(t);
    }
    return ticks;
  }

  private void band(StringBuilder svg, Series s, Scale x, Scale y, double cap) {
    int n = s.x().length;
    int i = 0;
    while (i < n) {
      if (!finite(s.low()[i], s.high()[i])) {
        i++;
        continue;
      }
      int j = i;
      while (j + 1 < n && finite(s.low()[j + 1], s.high()[j + 1])) {
        j++;
      }
      StringBuilder d = new StringBuilder();
      for (int k = i; k <= j; k++) {
        d.append(k == i ? "M" : "L")
            .append(xy(x.at(s.x()[k])))
            .append(',')
            .append(xy(y.at(clip(s.high()[k], cap, y))));
      }
      if (i == j) {
        double px = x.at(s.x()[i]);
        d.setLength(0);
        d.append("M")
            .append(xy(px - 4))
            .append(',')
            .append(xy(y.at(clip(s.high()[i], cap, y))))
            .append("L")
            .append(xy(px + 4))
            .append(',')
            .append(xy(y.at(clip(s.high()[i], cap, y))))
            .append("L")
            .append(xy(px + 4))
            .append(',')
            .append(xy(y.at(clip(s.low()[i], cap, y))))
            .append("L")
            .append(xy(px - 4))
            .append(',')
            .append(xy(y.at(clip(s.low()[i], cap, y))));
      } else {
        for (int k = j; k >= i; k--) {
          d.append("L")
              .append(xy(x.at(s.x()[k])))
              .append(',')
              .append(xy(y.at(clip(s.low()[k], cap, y))));
        }
      }
      svg.append("<path class=\"band\" data-arm=\"")
          .append(escape(s.arm()))
          .append("\" d=\"")
          .append(d)
          .append("Z\" fill=\"")
          .append(s.colour())
          .append("\"/>");
      i = j + 1;
    }
  }

  private void line(
      StringBuilder svg, Series s, Scale x, Scale y, double cap, double top, double width) {
    StringBuilder d = new StringBuilder();
    boolean pen = false;
    for (int k = 0; k < s.x().length; k++) {
      double v = s.y()[k];
      if (!drawable(v, y)) {
        pen = false;
        continue;
      }
      double py = v > cap ? top : y.at(clip(v, cap, y));
      d.append(pen ? "L" : "M").append(xy(x.at(s.x()[k]))).append(',').append(xy(py));
      pen = true;
    }
    if (d.length() == 0) {
      return;
    }
    svg.append("<path class=\"line series ")
        .append(escape(s.kind()))
        .append("\" data-arm=\"")
        .append(escape(s.arm()))
        .append("\" data-kind=\"")
        .append(escape(s.kind()))
        .append("\" d=\"")
        .append(d)
        .append("\" stroke=\"")
        .append(s.colour())
        .append('"')
        .append(width == 2 ? "" : " style=\"stroke-width:" + xy(width) + "\"")
        .append(s.dashed() ? " stroke-dasharray=\"6 4\"" : "")
        .append("/>");
  }

  private void marks(StringBuilder svg, Series s, Scale x, Scale y, double cap, double top) {
    svg.append("<g class=\"marks\" data-arm=\"").append(escape(s.arm())).append("\">");
    for (int k = 0; k < s.x().length; k++) {
      double v = s.y()[k];
      double px = x.at(s.x()[k]);
      long epoch = Math.round(s.x()[k]);
      String tip =
          escape(s.label() + ", epoch " + epoch + ": " + valueFormat.apply(v) + bandText(s, k));
      if (!drawable(v, y)) {
        if (!markNonFinite || (epoch == 0 && "train".equals(s.kind()))) {
          continue;
        }
        svg.append("<path class=\"diverged\" d=\"M")
            .append(xy(px - 4))
            .append(',')
            .append(xy(top))
            .append("l8,8m0,-8l-8,8\" stroke=\"")
            .append(s.colour())
            .append("\"><title>")
            .append(tip)
            .append(Double.isFinite(v) ? "" : " (diverged)")
            .append("</title></path>");
        continue;
      }
      if (v > cap) {
        svg.append("<path class=\"clipped\" d=\"M")
            .append(xy(px))
            .append(',')
            .append(xy(top - 4))
            .append("l5,8h-10z\" fill=\"")
            .append(s.colour())
            .append("\"><title>")
            .append(tip)
            .append(" (off the scale)</title></path>");
        continue;
      }
      double py = y.at(clip(v, cap, y));
      boolean hollow = s.dashed();
      svg.append("<circle class=\"point\" data-epoch=\"")
          .append(epoch)
          .append("\" cx=\"")
          .append(xy(px))
          .append("\" cy=\"")
          .append(xy(py))
          .append("\" r=\"")
          .append(hollow ? "2.5" : "3")
          .append("\" fill=\"")
          .append(hollow ? "#fff" : s.colour())
          .append("\" stroke=\"")
          .append(s.colour())
          .append("\"><title>")
          .append(tip)
          .append("</title></circle>");
      if (epoch == s.best()) {
        svg.append("<circle class=\"best\" cx=\"")
            .append(xy(px))
            .append("\" cy=\"")
            .append(xy(py))
            .append("\" r=\"7\" fill=\"none\" stroke=\"")
            .append(s.colour())
            .append("\"><title>")
            .append(escape(s.arm()))
            .append(": best epoch ")
            .append(epoch)
            .append("</title></circle>");
      }
    }
    svg.append("</g>");
  }

  private String bandText(Series s, int k) {
    if (s.low() == null || s.high() == null || !finite(s.low()[k], s.high()[k])) {
      return "";
    }
    return " (95% band "
        + valueFormat.apply(s.low()[k])
        + " to "
        + valueFormat.apply(s.high()[k])
        + ")";
  }

  private String legend() {
    StringBuilder html = new StringBuilder("<ul class=\"legend\">");
    if (dashedLabel != null) {
      List<String> arms = new ArrayList<>();
      for (Series s : series) {
        if (!arms.contains(s.arm())) {
          arms.add(s.arm());
          html.append("<li><span class=\"swatch\" style=\"background:")
              .append(s.colour())
              .append("\"></span>")
              .append(escape(s.arm()))
              .append("</li>");
        }
      }
      html.append(sample("#334155", true))
          .append(escape(dashedLabel))
          .append("</li>")
          .append(sample("#334155", false))
          .append(escape(solidLabel))
          .append("</li>");
    } else {
      for (Series s : series) {
        html.append(sample(s.colour(), s.dashed())).append(escape(s.label())).append("</li>");
      }
    }
    boolean bands =
        series.stream()
            .anyMatch(
                s ->
                    s.low() != null
                        && s.high() != null
                        && Arrays.stream(s.low()).anyMatch(Double::isFinite));
    if (bands && bandLabel != null) {
      html.append(
              "<li><svg width=\"30\" height=\"10\" aria-hidden=\"true\"><rect width=\"30\" height=\"10\" fill=\"#64748b\" opacity=\"0.25\"/></svg>")
          .append(escape(bandLabel))
          .append("</li>");
    }
    if (series.stream().anyMatch(s -> s.best() >= 0)) {
      html.append(
          "<li><svg width=\"16\" height=\"16\" aria-hidden=\"true\"><circle cx=\"8\" cy=\"8\" r=\"6\" fill=\"none\" stroke=\"#334155\"/></svg>best epoch</li>");
    }
    return html.append("</ul>").toString();
  }

  /** An open legend item starting with a short line in a colour and style. */
  private static String sample(String colour, boolean dashed) {
    return "<li><svg width=\"30\" height=\"10\" aria-hidden=\"true\"><line x1=\"1\" x2=\"29\" y1=\"5\" "
        + "y2=\"5\" stroke=\""
        + colour
        + "\" stroke-width=\"2\""
        + (dashed ? " stroke-dasharray=\"6 4\"" : "")
        + "/></svg>";
  }

  private static boolean drawable(double v, Scale y) {
    return Double.isFinite(v) && (!y.isLog() || v > 0);
  }

  private static double clip(double v, double cap, Scale y) {
    double c = Math.min(v, cap);
    return y.isLog() ? Math.max(c, y.low()) : c;
  }

  private static boolean finite(double a, double b) {
    return Double.isFinite(a) && Double.isFinite(b);
  }
}
