package io.tunelab.report.html;

import static io.tunelab.report.html.Html.escape;

import io.tunelab.diagnosis.EpochPredictions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The section on each arm's best epoch, drawn from its stored validation predictions: reliability
 * diagrams, confusion matrices and per-class accuracy; arms without those predictions are named.
 */
final class BestEpochSection {
  private BestEpochSection() {}

  /**
   * The section's body.
   *
   * @param view the run
   * @param evidence the run's stored objects
   */
  static String render(RunView view, StoredEvidence evidence) {
    Map<String, EpochPredictions> best = new LinkedHashMap<>();
    List<String> missing = new ArrayList<>();
    for (RunView.Arm arm : view.arms()) {
      EpochPredictions p =
          arm.bestEpoch() > 0 ? evidence.predictions(arm.name(), arm.bestEpoch()) : null;
      if (p != null) {
        best.put(arm.name(), p);
      } else {
        missing.add(arm.name());
      }
    }
    StringBuilder html = new StringBuilder();
    if (best.isEmpty()) {
      return html.append(
              "<p class=\"omitted\" id=\"no-predictions\">Reliability diagrams, confusion "
                  + "matrices and per-class accuracy are left out: they need the stored validation "
                  + "predictions of each arm's best epoch, which are not available here.</p>")
          .toString();
    }
    html.append(
        "<h3>Reliability</h3><p class=\"caption\">Bars: accuracy of the validation images "
            + "whose confidence falls into each bin; red: the gap to their mean confidence; the diagonal "
            + "is perfect calibration. ECE is the image-weighted mean gap.</p><div class=\"grid-auto\">");
    for (Map.Entry<String, EpochPredictions> e : best.entrySet()) {
      html.append(
          HtmlReport.part(
              "reliability",
              () ->
                  new ReliabilityDiagram(e.getKey(), view.colours().get(e.getKey()), e.getValue())
                      .render()));
    }
    html.append("</div><h3>Confusion matrices (validation)</h3><div class=\"grid-auto wide\">");
    for (Map.Entry<String, EpochPredictions> e : best.entrySet()) {
      html.append(
          HtmlReport.part(
              "confusion",
              () ->
                  ConfusionMatrixTable.classCount(e.getValue(), view.classes())
                          > ConfusionMatrixTable.MAX_CLASSES
                      ? "<p class=\"omitted\">"
                          + escape(e.getKey())
                          + ": too many classes for a matrix.</p>"
                      : new ConfusionMatrixTable(
                              e.getKey(),
                              view.colours().get(e.getKey()),
                              e.getValue(),
                              view.classes())
                          .render()));
    }
    html.append("</div><h3>Per-class accuracy (validation)</h3>");
    PerClassAccuracyChart bars = new PerClassAccuracyChart(view.classes());
    best.forEach(
        (arm, p) -> bars.add(new PerClassAccuracyChart.Bars(arm, view.colours().get(arm), p)));
    html.append(HtmlReport.part("per-class accuracy", bars::render));
    if (!missing.isEmpty()) {
      html.append("<p class=\"omitted\">Left out for ")
          .append(escape(String.join(", ", missing)))
          .append(": no stored validation predictions of the best epoch.</p>");
    }
    return html.toString();
  }
}
