package io.tunelab.report.html;

import static io.tunelab.report.html.Html.escape;
import static io.tunelab.report.html.Html.pct;
import static io.tunelab.report.html.Html.xy;

import io.tunelab.diagnosis.EpochPredictions;
import io.tunelab.diagnosis.ExpectedCalibrationError;
import java.util.List;

/**
 * A reliability diagram of one arm's validation predictions as inline SVG: per confidence bin (the
 * {@link ExpectedCalibrationError} bins) a bar as high as the bin's accuracy, the gap to the bin's
 * mean confidence shaded red, the diagonal of perfect calibration, and a strip below with how many
 * images fall into each bin. The caption gives the expected calibration error.
 */
final class ReliabilityDiagram {
  private static final int WIDTH = 310;
  private static final int HEIGHT = 338;
  private static final int LEFT = 52;
  private static final int SIZE = 240;
  private static final int TOP = 12;
  private static final int STRIP_TOP = TOP + SIZE + 10;
  private static final int STRIP = 28;

  private final String arm;
  private final String colour;
  private final EpochPredictions predictions;

  /**
   * The diagram of one arm.
   *
   * @param arm the arm's name
   * @param colour the arm's colour
   * @param predictions its validation predictions at the epoch shown
   */
  ReliabilityDiagram(String arm, String colour, EpochPredictions predictions) {
    this.arm = arm;
    this.colour = colour;
    this.predictions = predictions;
  }

  /** The diagram in a figure with its caption. */
  String render() {
    ExpectedCalibrationError.Result r = ExpectedCalibrationError.of(predictions);
    List<ExpectedCalibrationError.Bin> bins = ExpectedCalibrationError.bins(predictions);
    Scale x = Scale.linear(0, 1, LEFT, LEFT + SIZE);
    Scale y = Scale.linear(0, 1, TOP + SIZE, TOP);
    int maxCount = bins.stream().mapToInt(ExpectedCalibrationError.Bin::count).max().orElse(1);
    StringBuilder svg = new StringBuilder(4096);
    svg.append("<figure class=\"reliability\" data-arm=\"")
        .append(escape(arm))
        .append("\">")
        .append("<svg id=\"reliability-")
        .append(escape(arm))
        .append("\" class=\"chart reliability-diagram\" viewBox=\"0 0 ")
        .append(WIDTH)
        .append(' ')
        .append(HEIGHT)
        .append("\" role=\"img\" aria-label=\"reliability diagram of ")
        .append(escape(arm))
        .append("\">");
    svg.append("<defs><pattern id=\"gap-")
        .append(escape(arm))
        .append(
            "\" width=\"5\" height=\"5\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\">")
        .append("<rect width=\"2.2\" height=\"5\" fill=\"#dc2626\"/></pattern></defs>");
    svg.append("<g class=\"grid\">");
    for (double t : List.of(0.0, 0.2, 0.4, 0.6, 0.8, 1.0)) {
      svg.append("<line x1=\"")
          .append(LEFT)
          .append("\" x2=\"")
          .append(LEFT + SIZE)
          .append("\" y1=\"")
          .append(xy(y.at(t)))
          .append("\" y2=\"")
          .append(xy(y.at(t)))
          .append("\"/>");
    }
    svg.append("</g><g class=\"axis\">");
    for (double t : List.of(0.0, 0.2, 0.4, 0.6, 0.8, 1.0)) {
      svg.append("<text x=\"")
          .append(LEFT - 6)
          .append("\" y=\"")
          .append(xy(y.at(t) + 4))
          .append("\" text-anchor=\"end\">")
          .append(pct(t, 0))
          .append("</text><text x=\"")
          .append(xy(x.at(t)))
          .append("\" y=\"")
          .append(STRIP_TOP + STRIP + 15)
          .append("\" text-anchor=\"middle\">")
          .append(pct(t, 0))
          .append("</text>");
    }
    svg.append("<text class=\"axis-title\" transform=\"translate(14 ")
        .append(TOP + SIZE / 2)
        .append(") rotate(-90)\" text-anchor=\"middle\">accuracy in bin</text>")
        .append("<text class=\"axis-title\" x=\"")
        .append(LEFT + SIZE / 2)
        .append("\" y=\"")
        .append(HEIGHT - 4)
        .append("\" text-anchor=\"middle\">confidence (probability of the predicted class)</text>")
        .append("<text class=\"strip-title\" x=\"")
        .append(LEFT - 6)
        .append("\" y=\"")
        .append(STRIP_TOP + STRIP / 2 + 4)
        .append("\" text-anchor=\"end\">images</text></g>");
    for (ExpectedCalibrationError.Bin b : bins) {
      if (b.count() == 0) {
        continue;
      }
      double x0 = x.at(b.low()) + 0.5;
      double w = x.at(b.high()) - x.at(b.low()) - 1;
      String tip =
          escape(
              arm
                  + ": confidence "
                  + pct(b.low(), 0)
                  + "–"
                  + pct(b.high(), 0)
                  + ", "
                  + b.count()
                  + " images, accuracy "
                  + pct(b.accuracy(), 1)
                  + ", mean confidence "
                  + pct(b.meanConfidence(), 1));
      svg.append("<rect class=\"bin\" x=\"")
          .append(xy(x0))
          .append("\" y=\"")
          .append(xy(y.at(b.accuracy())))
          .append("\" width=\"")
          .append(xy(w))
          .append("\" height=\"")
          .append(xy(y.at(0) - y.at(b.accuracy())))
          .append("\" fill=\"")
          .append(colour)
          .append("\"><title>")
          .append(tip)
          .append("</title></rect>");
      double lo = Math.min(b.accuracy(), b.meanConfidence());
      double hi = Math.max(b.accuracy(), b.meanConfidence());
      svg.append("<rect class=\"gap\" x=\"")
          .append(xy(x0))
          .append("\" y=\"")
          .append(xy(y.at(hi)))
          .append("\" width=\"")
          .append(xy(w))
          .append("\" height=\"")
          .append(xy(Math.max(0.5, y.at(lo) - y.at(hi))))
          .append("\" fill=\"url(#gap-")
          .append(escape(arm))
          .append(")\"><title>")
          .append(tip)
          .append("</title></rect>");
      double h = STRIP * b.count() / (double) maxCount;
      svg.append("<rect class=\"count\" x=\"")
          .append(xy(x0))
          .append("\" y=\"")
          .append(xy(STRIP_TOP + STRIP - h))
          .append("\" width=\"")
          .append(xy(w))
          .append("\" height=\"")
          .append(xy(h))
          .append("\" fill=\"")
          .append(colour)
          .append("\"><title>")
          .append(tip)
          .append("</title></rect>");
    }
    svg.append("<line class=\"diagonal\" x1=\"")
        .append(LEFT)
        .append("\" y1=\"")
        .append(TOP + SIZE)
        .append("\" x2=\"")
        .append(LEFT + SIZE)
        .append("\" y2=\"")
        .append(TOP)
        .append("\"/>")
        .append("<rect class=\"frame\" x=\"")
        .append(LEFT)
        .append("\" y=\"")
        .append(TOP)
        .append("\" width=\"")
        .append(SIZE)
        .append("\" height=\"")
        .append(SIZE)
        .append("\"/>")
        .append("<line class=\"baseline\" x1=\"")
        .append(LEFT)
        .append("\" x2=\"")
        .append(LEFT + SIZE)
        .append("\" y1=\"")
        .append(STRIP_TOP + STRIP)
        .append("\" y2=\"")
        .append(STRIP_TOP + STRIP)
        .append("\"/></svg>");
    svg.append("<figcaption><span class=\"swatch\" style=\"background:")
        .append(colour)
        .append("\"></span><b>")
        .append(escape(arm))
        .append("</b>, epoch ")
        .append(predictions.epoch())
        .append(": <span class=\"ece\">ECE ")
        .append(pct(r.ece(), 1))
        .append("</span>; accuracy ")
        .append(pct(r.accuracy(), 1))
        .append(", mean confidence ")
        .append(pct(r.meanConfidence(), 1))
        .append(
            r.meanConfidence() > r.accuracy() + 0.02
                ? " (overconfident)"
                : r.meanConfidence() < r.accuracy() - 0.02 ? " (underconfident)" : "")
        .append("; ")
        .append(predictions.size())
        .append(" images</figcaption></figure>");
    return svg.toString();
  }
}
