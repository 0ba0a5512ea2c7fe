package io.tunelab.sweep;

/**
 * The best config against another on test accuracy, runs paired by seed (same seed, same splits).
 *
 * @param a the best config
 * @param b the other config
 * @param metric the metric compared: {@code testAcc}
 * @param delta a's mean minus b's mean
 * @param pValue the two-sided p-value, NaN when no test was possible (no seed in common, or the
 *     test predictions of a one-seed pair are missing)
 * @param test {@link #PAIRED_T}, {@link #MCNEMAR} or {@link #NONE}
 * @param pairedSeeds how many seeds both configs completed
 * @param aOnlyCorrect McNemar: pooled test images only a got right (−1 for the t-test)
 * @param bOnlyCorrect McNemar: pooled test images only b got right (−1 for the t-test)
 */
public record ConfigComparison(
    int a,
    int b,
    String metric,
    double delta,
    double pValue,
    String test,
    int pairedSeeds,
    int aOnlyCorrect,
    int bOnlyCorrect) {
  /** A paired t-test over the per-seed differences (two or more paired seeds). */
  public static final String PAIRED_T = "paired-t";

  /** The exact McNemar test on the pooled test predictions (one paired seed). */
  public static final String MCNEMAR = "mcnemar";

  /** No test was possible. */
  public static final String NONE = "none";

  /** Significance level below which a lead counts as real. */
  public static final double ALPHA = 0.05;

  /** Whether a's lead is significant at {@link #ALPHA}. */
  public boolean significant() {
    return Double.isFinite(pValue) && pValue < ALPHA && delta > 0;
  }

  /** How the p-value came about, for evidence: {@code paired t-test over 3 seeds}. */
  public String method() {
    return switch (test) {
      case PAIRED_T -> "paired t-test over " + pairedSeeds + " seeds";
      case MCNEMAR ->
          "exact McNemar test on the pooled test predictions ("
              + aOnlyCorrect
              + " images only config "
              + a
              + " got right, "
              + bOnlyCorrect
              + " only config "
              + b
              + ")";
      default ->
          "no test: "
              + (pairedSeeds == 0 ? "no seed completed by both" : "test predictions missing");
    };
  }
}
