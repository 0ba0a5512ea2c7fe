package io.tunelab.report.html;

import static io.tunelab.report.html.Html.escape;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A line chart's HTML legend: an entry per line, or per arm (by colour) plus the two line styles,
 * then the band and the best-epoch ring where the chart has them.
 */
final class ChartLegend {
  private ChartLegend() {}

  /**
   * The legend.
   *
   * @param series the chart's lines
   * @param dashedLabel the dashed style's entry when the legend is by arm, else {@code null}
   * @param solidLabel the solid style's entry when the legend is by arm
   * @param bandLabel the bands' entry, or {@code null} for none
   */
  static String render(
      List<LineChart.Series> series, String dashedLabel, String solidLabel, String bandLabel) {
    StringBuilder html = new StringBuilder("<ul class=\"legend\">");
    if (dashedLabel != null) {
      List<String> arms = new ArrayList<>();
      for (LineChart.Series s : series) {
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
      for (LineChart.Series s : series) {
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
}
