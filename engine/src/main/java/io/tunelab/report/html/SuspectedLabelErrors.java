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
 * tiles with their given label, the suspected label and both out-of-sample probabilities. The
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
    List<ImageGrid.Tile> tiles = new ArrayList<>();
    for (ConfidentLearning.Suspect s : named) {
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

  private static String shortPath(String path) {
    if (path == null) {
      return "";
    }
    int slash = path.lastIndexOf('/');
    String name = slash >= 0 ? path.substring(slash + 1) : path;
    return name.length() <= 22 ? name : "…" + name.substring(name.length() - 21);
  }
}
