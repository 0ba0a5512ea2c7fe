package io.tunelab.diagnosis;

import io.tunelab.workflows.model.Finding;
import java.util.List;

/**
 * {@code label-noise}: from out-of-sample predictions on the training images ({@link
 * ConfidentLearning}). Fires when the flagged fraction (off-diagonal mass of the confident joint)
 * exceeds both {@value #MIN_FRACTION} and a third of the out-of-sample error rate, with at least
 * {@value #MIN_SUSPECTS} suspects. A clean dataset gives a flagged fraction well below its error
 * rate: most of a model's mistakes are unsure, only a few confident; a flagged fraction close to
 * the error rate says the labels, not the model, are wrong. Names up to {@value #EXAMPLES}
 * suspects, most confident disagreement first.
 *
 * <p>When the held-out models were also scored on the validation images, their two error rates are
 * compared: with splits drawn from one distribution a model errs as often on training images as on
 * validation images, unless the training labels are the worse ones. The training side weighs each
 * class as the validation split does ({@link #classMatchedErrorRate}), so that an imbalanced
 * training split compares like with like. Weak, overconfident held-out models (a few hundred
 * images) also make most of their errors confident, which the share above cannot tell from noise;
 * the comparison can. So when the training error is not above the validation error beyond its 95%
 * noise, the finding needs {@value #STRONG_OF_ERROR_RATE} of the errors to be confident
 * disagreements (both splits equally noisy would look like that) instead of {@value
 * #OF_ERROR_RATE}. Held-out models no better than chance ({@link #atChance}) are no evidence at
 * all.
 */
final class LabelNoiseRule implements Rule {
  /**
   * Smallest flagged fraction that is a finding: clean Fashion-MNIST splits flag 3–6% (the dataset
   * has some genuinely ambiguous and mislabelled images), 25% planted noise flags 25%.
   */
  static final double MIN_FRACTION = 0.08;

  /**
   * Share of the out-of-sample errors that must be confident disagreements: 0.36 on clean data
   * (mistakes mostly unsure), 0.38–0.52 for clean data whose held-out models were weak (too high a
   * rate, 30 images per class), 0.68 with 25% of the labels flipped.
   */
  static final double OF_ERROR_RATE = 0.5;

  /**
   * Share needed when the training labels are no worse than the validation labels: 0.65 for a clean
   * 60-per-class set whose held-out models were weak and overconfident, 0.80 for a clean
   * 45-per-class set (the harness's overfitting case, Fashion-MNIST seed 2: folds of 22 per class).
   */
  static final double STRONG_OF_ERROR_RATE = 0.85;

  /** Fewer validation images make the comparison of error rates too noisy to use. */
  static final int MIN_VAL_IMAGES = 50;

  /** Fewer training images leave held-out folds too small to tell noise from chance. */
  static final int MIN_IMAGES = 100;

  static final int MIN_SUSPECTS = 3;
  static final int EXAMPLES = 10;

  /**
   * Whether the held-out models' accuracy on the training samples is within twice its binomial
   * noise of chance: models that learned nothing (a rate too low to move, digits at sgd 1e-5: 80%
   * error on 5 classes) disagree with every label, confidently when their new head's random weights
   * are large, and say nothing about the labels.
   */
  static boolean atChance(ConfidentLearning.Result r, int numClasses) {
    if (numClasses < 2 || r.images() == 0) {
      return false;
    }
    double chance = 1.0 / numClasses;
    double noise = Math.sqrt(chance * (1 - chance) / r.images());
    return 1 - r.errorRate() <= chance + 2 * noise;
  }

  @Override
  public void apply(DiagnosisContext context, List<Finding> findings) {
    OutOfSamplePredictions oos = context.input.outOfSample();
    if (oos == null || oos.labels().length < MIN_IMAGES) {
      return;
    }
    ConfidentLearning.Result r = context.confidentLearning();
    if (atChance(r, context.numClasses)) {
      return;
    }
    double limit = Math.max(MIN_FRACTION, OF_ERROR_RATE * r.errorRate());
    if (r.flaggedFraction() <= limit || r.suspects().size() < MIN_SUSPECTS) {
      return;
    }
    String comparison = "";
    String severity = "warning";
    String many = context.samples.many;
    if (oos.valErrorRate() != null && oos.valImages() >= MIN_VAL_IMAGES) {
      double[] matched = classMatchedErrorRate(oos, context);
      double train = matched[0];
      double val = oos.valErrorRate();
      double noise = 1.96 * Math.sqrt(matched[1] + val * (1 - val) / oos.valImages());
      boolean trainWorse = train - val > noise;
      boolean confidentEnough = r.flaggedFraction() > STRONG_OF_ERROR_RATE * r.errorRate();
      if (!trainWorse && !confidentEnough) {
        return;
      }
      // Resting on the comparison alone, the finding is only as strong as the training side's
      // excess over its noise (see Strength): a clean 60-per-class set's weak held-out models erred
      // 6.4 points more on training images than on validation images, 1.1× the noise.
      Strength excess = new Strength(train - val, noise, "the comparison's 95% noise");
      if (!confidentEnough) {
        severity = excess.severity("warning");
      }
      comparison =
          "; the same held-out models err on "
              + Fmt.pct(train)
              + " of the training "
              + many
              + (matched[2] > 0 ? " (each class weighted as in validation)" : "")
              + " and "
              + Fmt.pct(val)
              + " of the "
              + oos.valImages()
              + " validation "
              + many
              + " ("
              + Fmt.signed(train - val, 3)
              + ", 95% noise ± "
              + Fmt.num(noise, 3)
              + ")"
              + (trainWorse
                  ? ": the training labels are the worse, at " + excess.describe()
                  : ": no worse than the validation labels, but "
                      + Fmt.pct(r.flaggedFraction() / r.errorRate())
                      + " of their errors are confident, so "
                      + "the validation labels look as noisy");
    }
    StringBuilder evidence =
        new StringBuilder()
            .append(r.suspects().size())
            .append(" of ")
            .append(r.images())
            .append(" training ")
            .append(many)
            .append(" (")
            .append(Fmt.pct(r.flaggedFraction()))
            .append(", the confident joint's off-diagonal mass; calibrated estimate ")
            .append(Fmt.pct(r.estimatedNoiseFraction()))
            .append(
                ") look mislabelled: another class's "
                    + "out-of-sample probability exceeds both that class's mean self-confidence and the "
                    + "given label's probability; limit ")
            .append(Fmt.pct(limit))
            .append(" = max(8%, half the ")
            .append(Fmt.pct(r.errorRate()))
            .append(
                " out-of-sample error rate, since a clean dataset's mistakes are mostly unsure)")
            .append(comparison)
            .append("; most confident: ");
    List<ConfidentLearning.Suspect> named = names(r);
    for (int i = 0; i < named.size(); i++) {
      ConfidentLearning.Suspect s = named.get(i);
      evidence
          .append(i == 0 ? "" : ", ")
          .append(oos.paths()[s.index()])
          .append(" (")
          .append(context.className(s.given()))
          .append(" → ")
          .append(context.className(s.suspected()))
          .append(", p ")
          .append(Fmt.num(s.suspectedProbability(), 2))
          .append(" vs ")
          .append(Fmt.num(s.givenProbability(), 2))
          .append(")");
    }
    findings.add(
        new Finding(
            "label-noise",
            severity,
            "data",
            "A substantial fraction of training " + many + " look mislabelled",
            evidence.toString(),
            "Review the flagged "
                + many
                + " (most confident first) and fix or drop the wrong labels; "
                + "noisy labels cap accuracy and make validation loss rise as the model memorises "
                + "them. Until then, label smoothing and early stopping limit the damage."));
  }

  /**
   * The held-out models' error rate on the training samples with each class weighted by its share
   * of the validation split, and that estimate's variance: the validation error is an average over
   * the validation split's class mix, and a starved training class (most of its errors in a few
   * samples) would otherwise weigh less on the training side than on the validation side. Falls
   * back to the plain rate when the validation counts are unknown.
   *
   * @return {rate, variance, 1 when reweighted and different from the plain rate, else 0}
   */
  static double[] classMatchedErrorRate(OutOfSamplePredictions oos, DiagnosisContext context) {
    int k = context.numClasses;
    double[] wrong = new double[k];
    double[] seen = new double[k];
    int total = oos.labels().length;
    int errors = 0;
    for (int i = 0; i < total; i++) {
      int label = oos.labels()[i];
      if (label < 0 || label >= k) {
        continue;
      }
      float[] p = oos.probabilities()[i];
      int best = 0;
      for (int c = 1; c < p.length; c++) {
        if (p[c] > p[best]) {
          best = c;
        }
      }
      seen[label]++;
      if (best != label) {
        wrong[label]++;
        errors++;
      }
    }
    double plain = total == 0 ? 0 : (double) errors / total;
    double[] weights = new double[k];
    double weightSum = 0;
    for (int c = 0; c < k && context.valCounts != null && c < context.classes.size(); c++) {
      weights[c] = seen[c] > 0 ? context.valCounts.getOrDefault(context.classes.get(c), 0) : 0;
      weightSum += weights[c];
    }
    if (weightSum <= 0) {
      return new double[] {plain, plain * (1 - plain) / Math.max(1, total), 0};
    }
    double rate = 0;
    double variance = 0;
    for (int c = 0; c < k; c++) {
      if (weights[c] > 0) {
        double w = weights[c] / weightSum;
        double e = wrong[c] / seen[c];
        rate += w * e;
        variance += w * w * Math.max(e * (1 - e), 0.25 / seen[c]) / seen[c];
      }
    }
    return new double[] {rate, variance, Math.abs(rate - plain) > 1e-9 ? 1 : 0};
  }

  /** The suspects to name in the evidence. */
  static List<ConfidentLearning.Suspect> names(ConfidentLearning.Result r) {
    return r.suspects().subList(0, Math.min(EXAMPLES, r.suspects().size()));
  }
}
