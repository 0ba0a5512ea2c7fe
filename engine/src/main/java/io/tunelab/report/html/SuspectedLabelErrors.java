package io.tunelab.report.html;

import static io.tunelab.report.html.Html.escape;

import io.tunelab.dataset.Filmstrip;
import io.tunelab.dataset.LabeledImages;
import io.tunelab.diagnosis.ConfidentLearning;
import io.tunelab.diagnosis.OutOfSamplePredictions;
import java.util.ArrayList;
import java.util.List;

/**
 * The training images (a clip's frames as a strip) that the {@code label-noise} finding names, as
 * tiles with their given label, the suspected label and both out-of-sample probabilities; for a
 * table, its rows as lines of a table ({@code FILE.csv:LINE}, the labels and probabilities). The
 * suspects are found again from the stored out-of-sample predictions ({@link ConfidentLearning});
 * the images come from the training shard, whose order the out-of-sample predictions follow.
 */
final class SuspectedLabelErrors {
  /** Tiles shown when the finding's evidence names none of the suspects (as many as it names). */
  static final int FALLBACK = 10;

  private SuspectedLabelErrors() {}

  /**
   * The tiles, or an empty list when the evidence cannot be read.
   *
   * @param evidence the finding's evidence text, which names the suspects' paths
   * @param oos the run's out-of-sample predictions
   * @param train the run's training split
   * @param view the report's view (class names)
   */
  static List<ImageGrid.Tile> tiles(
      String evidence, OutOfSamplePredictions oos, LabeledImages train, RunView view) {
    if (oos == null || train == null || oos.labels().length != train.size()) {
      return List.of();
    }
    List<ImageGrid.Tile> tiles = new ArrayList<>();
    for (ConfidentLearning.Suspect s : named(evidence, oos, view)) {
      if (train.label(s.index()) != oos.labels()[s.index()]) {
        continue; // not the image the predictions were made for
      }
      byte[] png;
      try {
        png = Filmstrip.of(train.image(s.index()), train.shape()).png();
      } catch (IllegalArgumentException e) {
        continue;
      }
      String path = oos.paths()[s.index()];
      String given = view.className(s.given());
      String suspected = view.className(s.suspected());
      tiles.add(
          new ImageGrid.Tile(
              png,
              path + ": labelled " + given + ", looks like " + suspected,
              List.of(
                  "<span class=\"given\">"
                      + escape(given)
                      + "</span> → <span class=\"suspected\">"
                      + escape(suspected)
                      + "</span>",
                  "p "
                      + Html.num(s.givenProbability(), 2)
                      + " → "
                      + Html.num(s.suspectedProbability(), 2),
                  "<span class=\"path\">" + escape(shortPath(path)) + "</span>")));
    }
    return tiles;
  }

  /**
   * The table's rows the evidence names, most confident first: where each is, its given label, the
   * label the out-of-sample models prefer and the probability of each; empty without out-of-sample
   * predictions.
   */
  static String rows(String evidence, OutOfSamplePredictions oos, RunView view) {
    if (oos == null) {
      return "";
    }
    List<ConfidentLearning.Suspect> named = named(evidence, oos, view);
    if (named.isEmpty()) {
      return "";
    }
    StringBuilder html =
        new StringBuilder(
            "<table class=\"data suspects\" id=\"mislabelled-rows\"><thead><tr><th>row</th>"
                + "<th>given</th><th>looks like</th><th>p given</th><th>p suspected</th>"
                + "</tr></thead><tbody>");
    for (ConfidentLearning.Suspect s : named) {
      html.append("<tr><td><code>")
          .append(escape(String.valueOf(oos.paths()[s.index()])))
          .append("</code></td><td class=\"given\">")
          .append(escape(view.className(s.given())))
          .append("</td><td class=\"suspected\">")
          .append(escape(view.className(s.suspected())))
          .append("</td><td>")
          .append(Html.num(s.givenProbability(), 2))
          .append("</td><td>")
          .append(Html.num(s.suspectedProbability(), 2))
          .append("</td></tr>");
    }
    return html.append("</tbody></table>").toString();
  }

  /**
   * The suspects the evidence names, found again from the predictions; the first {@value #FALLBACK}
   * when it names none of them.
   */
  private static List<ConfidentLearning.Suspect> named(
      String evidence, OutOfSamplePredictions oos, RunView view) {
    ConfidentLearning.Result r = ConfidentLearning.analyse(oos, view.classes().size());
    List<ConfidentLearning.Suspect> named = new ArrayList<>();
    for (ConfidentLearning.Suspect s : r.suspects()) {
      String path = oos.paths()[s.index()];
      if (path != null
          && (evidence.contains(": " + path + " (") || evidence.contains(", " + path + " ("))) {
        named.add(s);
      }
    }
    if (named.isEmpty()) {
      named.addAll(r.suspects().subList(0, Math.min(FALLBACK, r.suspects().size())));
    }
    return named;
  }

  private static String shortPath(String path) {
    if (path == null) {
      return "";
    }
    int slash = path.lastIndexOf('/');
    String name = slash >= 0 ? path.substring(slash + 1) : path;
    return name.length() <= 22 ? name : "…" + name.substring(name.length() - 21);
  }
}
