package io.tunelab.report.html;

import static io.tunelab.report.html.Html.escape;
import static io.tunelab.report.html.Html.xy;
import static io.tunelab.report.html.LineChart.BOTTOM;
import static io.tunelab.report.html.LineChart.HEIGHT;
import static io.tunelab.report.html.LineChart.LEFT;
import static io.tunelab.report.html.LineChart.RIGHT;
import static io.tunelab.report.html.LineChart.TOP;
import static io.tunelab.report.html.LineChart.WIDTH;

import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleFunction;

/**
 * The frame of a line chart: the opening SVG element with the plot area's clip path, the horizontal
 * grid, the y axis with its tick labels and title, and the x axis with a tick per round epoch.
 */
final class ChartAxes {
  private ChartAxes() {}

  /**
   * Starts the chart's SVG element and draws its grid and axes.
   *
   * @param svg where the SVG is written
   * @param id the SVG element's id
   * @param xLabel the x axis title
   * @param yLabel the y axis title
   * @param tickFormat formats y tick labels
   * @param x the epoch scale
   * @param y the value scale
   */
  static void draw(
      StringBuilder svg,
      String id,
      String xLabel,
      String yLabel,
      DoubleFunction<String> tickFormat,
      Scale x,
      Scale y) {
    double top = TOP;
    double bottom = HEIGHT - BOTTOM;
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
  }

  private static List<Double> epochTicks(double lo, double hi) {
    double step = Math.max(1, Math.round(Scale.niceStep((hi - lo) / 10)));
    List<Double> ticks = new ArrayList<>();
    for (double t = Math.ceil(lo / step) * step; t <= hi + 1e-9; t += step) {
      ticks.add(t);
    }
    return ticks;
  }
}
