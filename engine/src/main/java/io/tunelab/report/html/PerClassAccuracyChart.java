package io.tunelab.report.html;

import static io.tunelab.report.html.Html.escape;
import static io.tunelab.report.html.Html.pct;
import static io.tunelab.report.html.Html.xy;

import io.tunelab.diagnosis.EpochPredictions;
import java.util.ArrayList;
import java.util.List;

/**
 * Per-class validation accuracy as horizontal bars in inline SVG: a group per class, a bar per arm
 * in the arm's colour, the value at the bar's end.
 */
final class PerClassAccuracyChart {
  private static final int WIDTH = 600;
  private static final int LABELS = 140;
  private static final int RIGHT = 52;
  private static final int BAR = 11;
  private static final int GAP = 10;
  private static final int AXIS = 34;

  /**
   * One arm's bars.
   *
   * @param arm the arm's name
   * @param colour its colour
   * @param predictions its validation predictions at the epoch shown
   */
  record Bars(String arm, String colour, EpochPredictions predictions) {}

  private final List<String> classes;
  private final List<Bars> arms = new ArrayList<>();

  /** A chart over the given classes (labels beyond them are shown as numbers). */
  PerClassAccuracyChart(List<String> classes) {
    this.classes = classes;
  }

  /** Adds an arm's bars. */
  PerClassAccuracyChart add(Bars bars) {
    arms.add(bars);
    return this;
  }

  /** The chart; an empty string when no arm was added. */
  String render() {
    if (arms.isEmpty()) {
      return "";
    }
    int k = classes.size();
    for (Bars b : arms) {
      k = Math.max(k, ConfusionMatrixTable.classCount(b.predictions(), classes));
    }
    int group = arms.size() * BAR + GAP;
    int height = k * group + AXIS;
    Scale x = Scale.linear(0, 1, LABELS, WIDTH - RIGHT);
    StringBuilder svg = new StringBuilder(4096);
    svg.append("<svg id=\"per-class-accuracy\" class=\"chart bar-chart\" viewBox=\"0 0 ")
        .append(WIDTH)
        .append(' ')
        .append(height)
        .append("\" role=\"img\" aria-label=\"validation accuracy per class\"")
        .append("><g class=\"grid\">");
    for (double t : List.of(0.0, 0.25, 0.5, 0.75, 1.0)) {
      svg.append("<line x1=\"")
          .append(xy(x.at(t)))
          .append("\" x2=\"")
          .append(xy(x.at(t)))
          .append("\" y1=\"0\" y2=\"")
          .append(k * group)
          .append("\"/>");
    }
    svg.append("</g><g class=\"axis\">");
    for (double t : List.of(0.0, 0.25, 0.5, 0.75, 1.0)) {
      svg.append("<text x=\"")
          .append(xy(x.at(t)))
          .append("\" y=\"")
          .append(k * group + 14)
          .append("\" text-anchor=\"middle\">")
          .append(pct(t, 0))
          .append("</text>");
    }
    svg.append("<text class=\"axis-title\" x=\"")
        .append(xy((LABELS + WIDTH - RIGHT) / 2.0))
        .append("\" y=\"")
        .append(height - 4)
        .append("\" text-anchor=\"middle\">validation accuracy")
        .append(" of the class (recall)</text></g>");
    List<long[]> perArm = new ArrayList<>();
    for (Bars b : arms) {
      long[][] m = ConfusionMatrixTable.counts(b.predictions(), k);
      long[] rightAndTotal = new long[2 * k];
      for (int t = 0; t < k; t++) {
        rightAndTotal[2 * t] = m[t][t];
        for (long c : m[t]) {
          rightAndTotal[2 * t + 1] += c;
        }
      }
      perArm.add(rightAndTotal);
    }
    for (int t = 0; t < k; t++) {
      String name = t < classes.size() ? classes.get(t) : String.valueOf(t);
      int y0 = t * group + GAP / 2;
      svg.append("<text class=\"class-label\" x=\"")
          .append(LABELS - 8)
          .append("\" y=\"")
          .append(y0 + arms.size() * BAR / 2 + 4)
          .append("\" text-anchor=\"end\">")
          .append(escape(shorten(name)))
          .append("<title>")
          .append(escape(name))
          .append("</title></text>");
      for (int a = 0; a < arms.size(); a++) {
        long right = perArm.get(a)[2 * t];
        long total = perArm.get(a)[2 * t + 1];
        double acc = total == 0 ? 0 : right / (double) total;
        int y = y0 + a * BAR;
        Bars b = arms.get(a);
        String tip =
            escape(
                b.arm()
                    + ", "
                    + name
                    + ": "
                    + right
                    + " of "
                    + total
                    + " right ("
                    + pct(acc, 1)
                    + ")");
        svg.append("<rect class=\"bar\" data-arm=\"")
            .append(escape(b.arm()))
            .append("\" x=\"")
            .append(LABELS)
            .append("\" y=\"")
            .append(y + 1)
            .append("\" width=\"")
            .append(xy(Math.max(0.5, x.at(acc) - LABELS)))
            .append("\" height=\"")
            .append(BAR - 2)
            .append("\" fill=\"")
            .append(b.colour())
            .append("\"><title>")
            .append(tip)
            .append("</title></rect><text class=\"value\" x=\"")
            .append(xy(x.at(acc) + 4))
            .append("\" y=\"")
            .append(y + BAR - 2)
            .append("\">")
            .append(total == 0 ? "–" : pct(acc, 0))
            .append("</text>");
      }
    }
    svg.append("</svg><ul class=\"legend\">");
    for (Bars b : arms) {
      svg.append("<li><span class=\"swatch\" style=\"background:")
          .append(b.colour())
          .append("\"></span>")
          .append(escape(b.arm()))
          .append(" (epoch ")
          .append(b.predictions().epoch())
          .append(")</li>");
    }
    return svg.append("</ul>").toString();
  }

  private static String shorten(String name) {
    return name.length() <= 20 ? name : name.substring(0, 19) + "…";
  }
}
