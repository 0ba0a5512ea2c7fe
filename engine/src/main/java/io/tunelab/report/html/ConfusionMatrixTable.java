package io.tunelab.report.html;

import static io.tunelab.report.html.Html.escape;
import static io.tunelab.report.html.Html.pct;

import io.tunelab.diagnosis.EpochPredictions;
import java.util.List;
import java.util.Locale;

/**
 * The confusion matrix of one arm's validation predictions as an HTML table: a row per true class,
 * a column per predicted class, each cell's count shaded by its share of the row (green on the
 * diagonal, red off it), and the row's accuracy at its end.
 */
final class ConfusionMatrixTable {
  /** More classes than this make a matrix nobody can read; the page shows the bars alone. */
  static final int MAX_CLASSES = 30;

  private final String arm;
  private final String colour;
  private final EpochPredictions predictions;
  private final List<String> classes;

  /**
   * The matrix of one arm.
   *
   * @param arm the arm's name
   * @param colour the arm's colour
   * @param predictions its validation predictions at the epoch shown
   * @param classes class names in label order (labels beyond them are shown as numbers)
   */
  ConfusionMatrixTable(
      String arm, String colour, EpochPredictions predictions, List<String> classes) {
    this.arm = arm;
    this.colour = colour;
    this.predictions = predictions;
    this.classes = classes;
  }

  /** The number of classes the matrix needs: the names, or the largest label seen plus one. */
  static int classCount(EpochPredictions p, List<String> classes) {
    int k = classes.size();
    for (int i = 0; i < p.size(); i++) {
      k = Math.max(k, Math.max(p.labels()[i], p.predicted()[i]) + 1);
    }
    return k;
  }

  /** Counts by true label (row) and predicted label (column); negative labels are skipped. */
  static long[][] counts(EpochPredictions p, int k) {
    long[][] m = new long[k][k];
    for (int i = 0; i < p.size(); i++) {
      int t = p.labels()[i];
      int q = p.predicted()[i];
      if (t >= 0 && q >= 0 && t < k && q < k) {
        m[t][q]++;
      }
    }
    return m;
  }

  /** The table with its caption. */
  String render() {
    int k = classCount(predictions, classes);
    long[][] m = counts(predictions, k);
    StringBuilder html = new StringBuilder(4096);
    html.append("<figure class=\"confusion\" data-arm=\"")
        .append(escape(arm))
        .append("\">")
        .append("<table class=\"confusion-matrix\" id=\"confusion-")
        .append(escape(arm))
        .append("\">")
        .append("<caption><span class=\"swatch\" style=\"background:")
        .append(colour)
        .append("\"></span><b>")
        .append(escape(arm))
        .append("</b>, epoch ")
        .append(predictions.epoch())
        .append(" (rows: true class, columns: predicted class)</caption>")
        .append("<thead><tr><th class=\"corner\">true \\ predicted</th>");
    for (int j = 0; j < k; j++) {
      html.append("<th class=\"col\" title=\"")
          .append(escape(name(j)))
          .append("\"><span>")
          .append(escape(name(j)))
          .append("</span></th>");
    }
    html.append("<th>accuracy</th></tr></thead><tbody>");
    for (int t = 0; t < k; t++) {
      long row = 0;
      for (int j = 0; j < k; j++) {
        row += m[t][j];
      }
      html.append("<tr><th class=\"row\">").append(escape(name(t))).append("</th>");
      for (int j = 0; j < k; j++) {
        double share = row == 0 ? 0 : m[t][j] / (double) row;
        String rgb = t == j ? "22,163,74" : "220,38,38";
        html.append("<td class=\"")
            .append(t == j ? "diag" : "off")
            .append("\" style=\"background:rgba(")
            .append(rgb)
            .append(',')
            .append(String.format(Locale.ROOT, "%.2f", m[t][j] == 0 ? 0 : 0.08 + 0.7 * share))
            .append(")\" title=\"")
            .append(
                escape(
                    name(t)
                        + " predicted as "
                        + name(j)
                        + ": "
                        + m[t][j]
                        + " of "
                        + row
                        + " ("
                        + pct(share, 0)
                        + ")"))
            .append("\">")
            .append(m[t][j] == 0 ? "<span class=\"zero\">0</span>" : String.valueOf(m[t][j]))
            .append("</td>");
      }
      html.append("<td class=\"acc\">")
          .append(row == 0 ? "–" : pct(m[t][t] / (double) row, 0))
          .append("</td></tr>");
    }
    return html.append("</tbody></table></figure>").toString();
  }

  private String name(int label) {
    return label < classes.size() ? classes.get(label) : String.valueOf(label);
  }
}
