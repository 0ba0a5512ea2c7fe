package io.tunelab.diagnosis;

import java.util.Locale;

/** Number formatting for evidence strings: locale-independent, so findings are reproducible. */
final class Fmt {
  private Fmt() {}

  /** Four significant decimals, for losses. */
  static String loss(double v) {
    return String.format(Locale.ROOT, "%.4f", v);
  }

  /** Three decimals, for accuracies and other fractions. */
  static String acc(double v) {
    return String.format(Locale.ROOT, "%.3f", v);
  }

  /** A fraction as a percentage with one decimal. */
  static String pct(double fraction) {
    return String.format(Locale.ROOT, "%.1f%%", 100 * fraction);
  }

  /** A signed value with the given number of decimals. */
  static String signed(double v, int decimals) {
    return String.format(Locale.ROOT, "%+." + decimals + "f", v);
  }

  /** Two significant digits, for learning rates. */
  static String lr(double v) {
    return String.format(Locale.ROOT, "%.2g", v);
  }

  /** A general number with the given decimals. */
  static String num(double v, int decimals) {
    return String.format(Locale.ROOT, "%." + decimals + "f", v);
  }

  /** A p-value. */
  static String p(double v) {
    return String.format(Locale.ROOT, "%.3g", v);
  }
}
