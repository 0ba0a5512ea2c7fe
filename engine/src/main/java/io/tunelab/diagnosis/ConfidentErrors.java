package io.tunelab.diagnosis;

/**
 * How the validation loss changed on the images a model gets wrong at two epochs, paired image by
 * image: the signature of overconfidence. When a model keeps getting the same images right and
 * wrong but grows more confident, the loss of the wrong ones rises (less probability on the true
 * class) while that of the right ones falls; the mean validation loss can then rise a little at an
 * unchanged accuracy, and on a few hundred images that rise alone is inside its noise while the
 * paired change on the wrong images is not.
 *
 * @param wrongBoth images misclassified at both epochs
 * @param wrongChange mean change of their loss, later minus earlier
 * @param wrongNoise half-width of the 95% interval of that mean (paired, normal approximation)
 * @param rightBoth images classified correctly at both epochs
 * @param rightChange mean change of their loss
 */
record ConfidentErrors(
    int wrongBoth, double wrongChange, double wrongNoise, int rightBoth, double rightChange) {
  /** Fewest images wrong at both epochs for a paired mean to mean something. */
  static final int MIN_WRONG = 20;

  /**
   * Smallest mean rise, in nats, of the wrong images' loss that counts: the true class's
   * probability falling by a tenth of itself.
   */
  static final double MIN_RISE = 0.10;

  /** The change from {@code earlier} to {@code later}, on the same validation images. */
  static ConfidentErrors of(EpochPredictions earlier, EpochPredictions later) {
    if (earlier.size() != later.size()) {
      throw new IllegalArgumentException(
          "predictions of epochs "
              + earlier.epoch()
              + " and "
              + later.epoch()
              + " cover "
              + earlier.size()
              + " and "
              + later.size()
              + " images");
    }
    int wrong = 0;
    double sum = 0;
    double sumSq = 0;
    int right = 0;
    double rightSum = 0;
    for (int i = 0; i < earlier.size(); i++) {
      boolean wrongBefore = earlier.predicted()[i] != earlier.labels()[i];
      boolean wrongAfter = later.predicted()[i] != later.labels()[i];
      double d = (double) later.loss()[i] - earlier.loss()[i];
      if (wrongBefore && wrongAfter) {
        wrong++;
        sum += d;
        sumSq += d * d;
      } else if (!wrongBefore && !wrongAfter) {
        right++;
        rightSum += d;
      }
    }
    double mean = wrong == 0 ? 0 : sum / wrong;
    double noise =
        wrong < 2
            ? Double.POSITIVE_INFINITY
            : NoiseBand.Z * Math.sqrt(NoiseBand.sampleVariance(sum, sumSq, wrong) / wrong);
    return new ConfidentErrors(wrong, mean, noise, right, right == 0 ? 0 : rightSum / right);
  }

  /** The wrong images' loss rose by at least {@link #MIN_RISE}, beyond its noise. */
  boolean grewBeyondNoise() {
    return wrongBoth >= MIN_WRONG && wrongChange >= MIN_RISE && wrongChange - wrongNoise > 0;
  }

  /** How far the wrong images' rise lies beyond {@link #MIN_RISE} or its noise, the larger. */
  Strength strength() {
    return wrongNoise >= MIN_RISE
        ? new Strength(wrongChange, wrongNoise, "the paired noise of the wrong ones' rise")
        : new Strength(
            wrongChange,
            MIN_RISE,
            "the " + Fmt.num(MIN_RISE, 2) + " rise of the wrong ones that counts");
  }

  /** Evidence, e.g. "on the 64 images wrong at both epochs the loss rose +0.710 ± 0.322 …". */
  String describe(int from, int to, Samples samples) {
    return "on the "
        + wrongBoth
        + " validation "
        + samples.many
        + " wrong at both epoch "
        + from
        + " and epoch "
        + to
        + " the loss rose "
        + Fmt.signed(wrongChange, 3)
        + " ± "
        + Fmt.num(wrongNoise, 3)
        + " per "
        + samples.one
        + " (paired 95%), on the "
        + rightBoth
        + " right at both it went "
        + Fmt.signed(rightChange, 3);
  }
}
