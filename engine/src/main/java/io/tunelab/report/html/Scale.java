package io.tunelab.report.html;

import java.util.ArrayList;
import java.util.List;

/**
 * Maps a data interval onto a pixel interval, linearly or logarithmically, and picks round tick
 * values for its axis.
 */
final class Scale {
  private final double lo;
  private final double hi;
  private final double from;
  private final double to;
  private final boolean log;

  private Scale(double lo, double hi, double from, double to, boolean log) {
    this.lo = lo;
    this.hi = hi;
    this.from = from;
    this.to = to;
    this.log = log;
  }

  /** A linear scale; an empty interval is widened so that it can be drawn. */
  static Scale linear(double lo, double hi, double from, double to) {
    if (!(hi > lo)) {
      double pad = Math.abs(lo) > 0 ? Math.abs(lo) * 0.1 : 1;
      return new Scale(lo - pad, lo + pad, from, to, false);
    }
    return new Scale(lo, hi, from, to, false);
  }

  /** A linear scale whose ends are widened to round tick values. */
  static Scale niceLinear(double lo, double hi, double from, double to) {
    Scale raw = linear(lo, hi, from, to);
    double step = niceStep((raw.hi - raw.lo) / 5);
    return new Scale(
        Math.floor(raw.lo / step) * step, Math.ceil(raw.hi / step) * step, from, to, false);
  }

  /** A base-10 logarithmic scale over whole decades; both ends must be positive. */
  static Scale log(double lo, double hi, double from, double to) {
    double a = Math.floor(Math.log10(lo));
    double b = Math.ceil(Math.log10(hi));
    if (b <= a) {
      b = a + 1;
    }
    return new Scale(Math.pow(10, a), Math.pow(10, b), from, to, true);
  }

  /** The pixel position of a value. */
  double at(double v) {
    double t =
        log
            ? (Math.log10(v) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo))
            : (v - lo) / (hi - lo);
    return from + t * (to - from);
  }

  double low() {
    return lo;
  }

  double high() {
    return hi;
  }

  boolean isLog() {
    return log;
  }

  /** Round values inside the interval for grid lines and labels. */
  List<Double> ticks(int about) {
    List<Double> ticks = new ArrayList<>();
    if (log) {
      int a = (int) Math.round(Math.log10(lo));
      int b = (int) Math.round(Math.log10(hi));
      for (int e = a; e <= b; e++) {
        ticks.add(Math.pow(10, e));
        if (b - a <= 2 && e < b) {
          ticks.add(2 * Math.pow(10, e));
          ticks.add(5 * Math.pow(10, e));
        }
      }
      return ticks;
    }
    double step = niceStep((hi - lo) / Math.max(1, about));
    double first = Math.ceil(lo / step - 1e-9) * step;
    for (double v = first; v <= hi + step * 1e-9; v += step) {
      ticks.add(Math.abs(v) < step * 1e-9 ? 0 : v);
    }
    return ticks;
  }

  /** 1, 2 or 5 times a power of ten, at least {@code raw}. */
  static double niceStep(double raw) {
    if (!(raw > 0) || !Double.isFinite(raw)) {
      return 1;
    }
    double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
    double f = raw / magnitude;
    double nice = f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10;
    return nice * magnitude;
  }
}
