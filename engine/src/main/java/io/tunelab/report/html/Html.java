package io.tunelab.report.html;

import java.math.BigDecimal;
import java.util.Base64;
import java.util.Locale;

/**
 * Escaping and number formatting shared by the parts of the HTML report; the escaping serves the
 * dashboard's pages too.
 */
public final class Html {
  private Html() {}

  /** Text made safe for element content and quoted attribute values; {@code null} is empty. */
  public static String escape(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder out = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  /** A {@code data:} URI of PNG bytes. */
  static String pngUri(byte[] png) {
    return "data:image/png;base64," + Base64.getEncoder().encodeToString(png);
  }

  /** A number with the given decimals, or {@code NaN} when it is not finite. */
  static String num(double v, int decimals) {
    return Double.isFinite(v) ? String.format(Locale.ROOT, "%." + decimals + "f", v) : "NaN";
  }

  /** A fraction as a percentage with the given decimals. */
  static String pct(double fraction, int decimals) {
    return Double.isFinite(fraction)
        ? String.format(Locale.ROOT, "%." + decimals + "f%%", 100 * fraction)
        : "NaN";
  }

  /** A learning rate or another quantity of any magnitude: two significant digits. */
  static String sig(double v) {
    if (!Double.isFinite(v)) {
      return "NaN";
    }
    if (v == 0) {
      return "0";
    }
    return String.format(Locale.ROOT, "%.2g", v);
  }

  /**
   * An axis tick value as short as it can be written: plain decimals without trailing zeros between
   * 0.001 and 10,000, otherwise like {@code 1e-5}.
   */
  static String tick(double v) {
    if (!Double.isFinite(v)) {
      return "NaN";
    }
    double a = Math.abs(v);
    if (a == 0 || (a >= 1e-3 && a < 1e4)) {
      String plain =
          new BigDecimal(String.format(Locale.ROOT, "%.6g", v))
              .stripTrailingZeros()
              .toPlainString();
      return plain.equals("-0") ? "0" : plain;
    }
    String e =
        String.format(Locale.ROOT, "%.1e", v)
            .replace(".0e", "e")
            .replace("e-0", "e-")
            .replace("e+0", "e")
            .replace("e+", "e");
    return e;
  }

  /** A number in short scientific notation ({@code 2e-4}, {@code 1.5e-3}), zero as {@code 0}. */
  static String sci(double v) {
    if (!Double.isFinite(v)) {
      return "NaN";
    }
    if (v == 0) {
      return "0";
    }
    String[] parts = String.format(Locale.ROOT, "%.2e", v).split("e");
    String mantissa = new BigDecimal(parts[0]).stripTrailingZeros().toPlainString();
    int exponent = Integer.parseInt(parts[1]);
    return exponent == 0 ? mantissa : mantissa + "e" + exponent;
  }

  /** An SVG coordinate: one decimal, no trailing zero. */
  static String xy(double v) {
    long tenths = Math.round(v * 10);
    return tenths % 10 == 0
        ? Long.toString(tenths / 10)
        : String.format(Locale.ROOT, "%.1f", tenths / 10.0);
  }
}
