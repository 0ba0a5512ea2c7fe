package io.tunelab.sweep;

import java.util.Locale;

/** Number formatting for the sweep's evidence: locale-independent, NaN written as {@code ?}. */
final class Fmt {
  private Fmt() {}

  /** Three decimals, for accuracies and standard deviations of them. */
  static String acc(double v) {
    return Double.isFinite(v) ? String.format(Locale.ROOT, "%.3f", v) : "?";
  }

  /** A signed difference with three decimals. */
  static String delta(double v) {
    return Double.isFinite(v) ? String.format(Locale.ROOT, "%+.3f", v) : "?";
  }

  /** A p-value with three significant digits. */
  static String p(double v) {
    return Double.isFinite(v) ? String.format(Locale.ROOT, "%.3g", v) : "?";
  }

  /** A mean with its interval: {@code 0.912 [0.900, 0.924] over 3 seeds}, or why it is unknown. */
  static String interval(Interval i) {
    if (i.n() == 0) {
      return "unknown (no completed run)";
    }
    if (!i.known()) {
      return acc(i.mean()) + " (one seed: interval unknown)";
    }
    return acc(i.mean())
        + " ["
        + acc(i.low())
        + ", "
        + acc(i.high())
        + "] over "
        + i.n()
        + " seeds";
  }
}
