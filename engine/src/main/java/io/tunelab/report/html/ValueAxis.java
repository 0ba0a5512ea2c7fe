package io.tunelab.report.html;

import static io.tunelab.report.html.LineChart.BOTTOM;
import static io.tunelab.report.html.LineChart.HEIGHT;
import static io.tunelab.report.html.LineChart.TOP;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The y range of a line chart: the outlier cap above which values are drawn at the top edge, and
 * the scale over the values (and bands) below it, logarithmic when they span more than two decades
 * and that is asked for.
 */
final class ValueAxis {
  /** A value more than this many times the 75th percentile of the values is an outlier. */
  private static final double OUTLIER = 10;

  private ValueAxis() {}

  /**
   * The y scale.
   *
   * @param series the chart's lines
   * @param cap the outlier cap ({@link Double#POSITIVE_INFINITY} for none)
   * @param logY whether a wide positive range is drawn logarithmically
   * @param includeZero whether a linear axis starts at zero
   * @param floor the lowest value the axis may show
   * @param ceiling the highest value the axis may show
   */
  static Scale scale(
      List<LineChart.Series> series,
      double cap,
      boolean logY,
      boolean includeZero,
      double floor,
      double ceiling) {
    List<Double> values = new ArrayList<>();
    for (LineChart.Series s : series) {
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
  static double cap(List<LineChart.Series> series) {
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
}
