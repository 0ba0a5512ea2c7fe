package io.tunelab.diagnosis;

import io.tunelab.workflows.model.Finding;
import java.util.List;

/**
 * {@code label-noise}: from out-of-sample predictions on the training images
 * ({@link ConfidentLearning}). Fires when the flagged fraction (off-diagonal mass of the
 * confident joint) exceeds both {@value #MIN_FRACTION} and a third of the out-of-sample error
 * rate, with at least {@value #MIN_SUSPECTS} suspects. A clean dataset gives a flagged fraction
 * well below its error rate: most of a model's mistakes are unsure, only a few confident; a
 * flagged fraction close to the error rate says the labels, not the model, are wrong. Names up
 * to {@value #EXAMPLES} suspects, most confident disagreement first.
 */
final class LabelNoiseRule implements Rule {
  /**
   * Smallest flagged fraction that is a finding: clean Fashion-MNIST splits flag 3–6% (the
   * dataset has some genuinely ambiguous and mislabelled images), 25% planted noise flags 25%.
   */
  static final double MIN_FRACTION = 0.08;
  /**
   * Share of the out-of-sample errors that must be confident disagreements: 0.36 on clean data
   * (mistakes mostly unsure), 0.38–0.52 for clean data whose held-out models were weak (too high a
   * rate, 30 images per class), 0.68 with 25% of the labels flipped.
   */
  static final double OF_ERROR_RATE = 0.5;
  /** Fewer training images leave held-out folds too small to tell noise from chance. */
  static final int MIN_IMAGES = 100;
  static final int MIN_SUSPECTS = 3;
  static final int EXAMPLES = 10;

  @Override
  public void apply(DiagnosisContext context, List<Finding> findings) {
    OutOfSamplePredictions oos = context.input.outOfSample();
    if (oos == null || oos.labels().length < MIN_IMAGES) {
      return;
    }
    ConfidentLearning.Result r = ConfidentLearning.analyse(oos, context.numClasses);
    double limit = Math.max(MIN_FRACTION, OF_ERROR_RATE * r.errorRate());
    if (r.flaggedFraction() <= limit || r.suspects().size() < MIN_SUSPECTS) {
      return;
    }
    StringBuilder evidence = new StringBuilder().append(r.suspects().size()).append(" of ")
        .append(r.images()).append(" training images (").append(Fmt.pct(r.flaggedFraction()))
        .append(", the confident joint's off-diagonal mass; calibrated estimate ")
        .append(Fmt.pct(r.estimatedNoiseFraction())).append(") look mislabelled: another class's "
            + "out-of-sample probability exceeds both that class's mean self-confidence and the "
            + "given label's probability; limit ").append(Fmt.pct(limit))
        .append(" = max(8%, half the ").append(Fmt.pct(r.errorRate()))
        .append(" out-of-sample error rate, since a clean dataset's mistakes are mostly unsure); "
            + "most confident: ");
    List<ConfidentLearning.Suspect> named = names(r);
    for (int i = 0; i < named.size(); i++) {
      ConfidentLearning.Suspect s = named.get(i);
      evidence.append(i == 0 ? "" : ", ").append(oos.paths()[s.index()]).append(" (")
          .append(context.className(s.given())).append(" → ")
          .append(context.className(s.suspected())).append(", p ")
          .append(Fmt.num(s.suspectedProbability(), 2)).append(" vs ")
          .append(Fmt.num(s.givenProbability(), 2)).append(")");
    }
    findings.add(new Finding("label-noise", "warning", "data",
        "A substantial fraction of training images look mislabelled", evidence.toString(),
        "Review the flagged images (most confident first) and fix or drop the wrong labels; "
            + "noisy labels cap accuracy and make validation loss rise as the model memorises "
            + "them. Until then, label smoothing and early stopping limit the damage."));
  }

  /** The suspects to name in the evidence. */
  static List<ConfidentLearning.Suspect> names(ConfidentLearning.Result r) {
    return r.suspects().subList(0, Math.min(EXAMPLES, r.suspects().size()));
  }
}
