package io.tunelab.report.html;

import static io.tunelab.report.html.Html.escape;
import static io.tunelab.report.html.Html.xy;

import java.util.function.DoubleFunction;

/**
 * Draws a line chart's series onto its scales: the shaded band around a series, the line itself
 * (broken where a value is missing), and the marks on it: a point per epoch with its tooltip, a
 * ring on the best epoch, a cross for a value that is not a number and a triangle at the top edge
 * for an outlier.
 */
final class SeriesPainter {
  private final Scale x;
  private final Scale y;
  private final double cap;
  private final double top;
  private final DoubleFunction<String> valueFormat;
  private final boolean markNonFinite;

  /**
   * A painter for one chart.
   *
   * @param x the epoch scale
   * @param y the value scale
   * @param cap values above it are drawn at the top edge
   * @param top the top edge's y coordinate
   * @param valueFormat formats values in tooltips
   * @param markNonFinite whether values that are not numbers get a cross
   */
  SeriesPainter(
      Scale x,
      Scale y,
      double cap,
      double top,
      DoubleFunction<String> valueFormat,
      boolean markNonFinite) {
    this.x = x;
    this.y = y;
    this.cap = cap;
    this.top = top;
    this.valueFormat = valueFormat;
    this.markNonFinite = markNonFinite;
  }

  /** Draws a series' band, one shape per run of epochs where both edges are known. */
  void band(StringBuilder svg, LineChart.Series s) {
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

  /** Draws a series' line with a stroke width. */
  void line(StringBuilder svg, LineChart.Series s, double width) {
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

  /** Draws a series' points and marks. */
  void marks(StringBuilder svg, LineChart.Series s) {
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

  private String bandText(LineChart.Series s, int k) {
    if (s.low() == null || s.high() == null || !finite(s.low()[k], s.high()[k])) {
      return "";
    }
    return " (95% band "
        + valueFormat.apply(s.low()[k])
        + " to "
        + valueFormat.apply(s.high()[k])
        + ")";
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
