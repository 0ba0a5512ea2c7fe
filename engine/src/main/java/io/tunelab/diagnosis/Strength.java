package io.tunelab.diagnosis;

/**
 * How strongly a finding's evidence stands out: the evidence divided by the threshold at which its
 * rule fires (a rise over its noise, a lead over the lead a test needs). Below 1× a rule finds
 * nothing; up to {@value #CLEAR}× the evidence is at the edge of noise and supports {@code info} at
 * most; beyond that the rule's own severity stands. One scale for every rule that compares against
 * noise, so that a warning always means evidence clearly beyond it.
 *
 * @param evidence the measured quantity (e.g. the rise of the validation loss); NaN (a metric that
 *     was not a number) is never clear
 * @param threshold the value the evidence must exceed for the rule to fire
 * @param name the threshold in words, e.g. "the paired noise"
 */
record Strength(double evidence, double threshold, String name) {
  /** Multiple of its threshold beyond which evidence is clearly beyond noise. */
  static final double CLEAR = 1.5;

  Strength {
    if (!(threshold > 0) || !Double.isFinite(threshold)) {
      throw new IllegalArgumentException("threshold must be a finite number > 0: " + threshold);
    }
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("name must not be blank: " + name);
    }
  }

  /** The evidence as a multiple of its threshold. */
  double ratio() {
    return evidence / threshold;
  }

  /** Whether the evidence lies beyond {@value #CLEAR}× its threshold. */
  boolean clear() {
    return ratio() > CLEAR;
  }

  /** {@code severity} when the evidence is clear, else {@code info}. */
  String severity(String severity) {
    return clear() ? severity : "info";
  }

  /** The weaker of two strengths: a finding resting on both is only as strong as the weaker. */
  Strength weaker(Strength other) {
    return other == null || ratio() <= other.ratio() ? this : other;
  }

  /** The stronger of two strengths: either piece of evidence alone carries the finding. */
  Strength stronger(Strength other) {
    return other == null || ratio() >= other.ratio() ? this : other;
  }

  /** Evidence, e.g. "1.21× the paired noise: within 1.5× of it, so info". */
  String describe() {
    return Fmt.num(ratio(), 2)
        + "× "
        + name
        + (clear() ? "" : ": within " + Fmt.num(CLEAR, 1) + "× of it, so info");
  }
}
