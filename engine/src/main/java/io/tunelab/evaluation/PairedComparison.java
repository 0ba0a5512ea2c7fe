package io.tunelab.evaluation;

import io.tunelab.workflows.model.Arm;
import io.tunelab.workflows.model.Comparison;

/**
 * Compares two models on the same test images with the exact McNemar test: only the images on which
 * they disagree carry information.
 */
public final class PairedComparison {
  /** Significance level below which a difference counts. */
  public static final double ALPHA = 0.05;

  private PairedComparison() {}

  /** Compares fine-tune predictions with scratch predictions on the same images. */
  public static Comparison compare(Predictions finetune, Predictions scratch) {
    if (finetune.size() != scratch.size()) {
      throw new IllegalArgumentException(
          "arms were tested on different images: " + finetune.size() + " vs " + scratch.size());
    }
    int onlyFinetune = 0;
    int onlyScratch = 0;
    int finetuneCorrect = 0;
    int scratchCorrect = 0;
    for (int i = 0; i < finetune.size(); i++) {
      if (finetune.labels()[i] != scratch.labels()[i]) {
        throw new IllegalArgumentException("arms were tested on different labels at image " + i);
      }
      boolean f = finetune.correct(i);
      boolean s = scratch.correct(i);
      finetuneCorrect += f ? 1 : 0;
      scratchCorrect += s ? 1 : 0;
      if (f && !s) {
        onlyFinetune++;
      } else if (s && !f) {
        onlyScratch++;
      }
    }
    double p = mcNemarExact(onlyFinetune, onlyScratch);
    double delta =
        finetune.size() == 0 ? 0 : (finetuneCorrect - scratchCorrect) / (double) finetune.size();
    String winner =
        p >= ALPHA || onlyFinetune == onlyScratch
            ? "tie"
            : (onlyFinetune > onlyScratch ? Arm.FINETUNE : Arm.SCRATCH).wire();
    return new Comparison(winner, delta, p, onlyFinetune, onlyScratch);
  }

  /** Two-sided exact McNemar p-value for discordant counts {@code b} and {@code c}. */
  public static double mcNemarExact(int b, int c) {
    int n = b + c;
    if (n == 0) {
      return 1.0;
    }
    int k = Math.min(b, c);
    // P(X <= k) for X ~ Binomial(n, 1/2), summed in log space for large n.
    double logHalfN = n * Math.log(0.5);
    double cdf = 0;
    double logChoose = 0; // log C(n, 0)
    for (int i = 0; i <= k; i++) {
      if (i > 0) {
        logChoose += Math.log(n - i + 1) - Math.log(i);
      }
      cdf += Math.exp(logChoose + logHalfN);
    }
    return Math.min(1.0, 2 * cdf);
  }
}
