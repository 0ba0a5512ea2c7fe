package io.tunelab.diagnosis;

import java.util.List;

/**
 * Results of the short extra experiments a diagnosis can run. Any field may be {@code null} when
 * the probe did not run (or the run was probed by an older tunelab).
 *
 * @param learningCurve validation accuracy when training on fractions of the training data
 * @param linearProbeValAcc validation accuracy of a new head on frozen pretrained features
 * @param lrRange losses of a short learning-rate range test, in increasing learning rate
 * @param sourceAccBefore the pretrained model's accuracy on its own source test split
 * @param sourceAccAfter the same after fine-tuning (backbone of the fine-tuned model, source head)
 * @param featureProbe the probe behind {@code linearProbeValAcc}: its sizes, for its noise
 * @param control the same probe on the source's own held-out samples at the target's number per
 *     class: what the frozen features give where nothing has shifted
 * @param recognition the pretrained model as it is, head included, on the target's validation
 *     samples of the classes its source task shares with the target, against its own test samples
 *     of those classes
 * @param featureStats how far the target's training samples move the inputs of the pretrained
 *     network's deepest reachable batch norm from its running (source) statistics
 * @param featureStatsControl the same for the source's own test samples: what the running
 *     statistics give where nothing has shifted
 */
public record ProbeResults(
    List<CurvePoint> learningCurve,
    Double linearProbeValAcc,
    List<LrPoint> lrRange,
    Double sourceAccBefore,
    Double sourceAccAfter,
    FeatureProbe featureProbe,
    FeatureProbe control,
    Recognition recognition,
    FeatureStats featureStats,
    FeatureStats featureStatsControl) {

  /**
   * The binomial standard error of an accuracy {@code p} measured on {@code n} samples, never below
   * that of one sample in {@code n} either way ({@code p} of 0 or 1 is not certainty).
   */
  public static double binomialStdError(double p, int n) {
    return Math.sqrt(Math.max(p * (1 - p), 0.25 / n) / n);
  }

  /** The probes without the recognition check (older runs, and tests of other rules). */
  public ProbeResults(
      List<CurvePoint> learningCurve,
      Double linearProbeValAcc,
      List<LrPoint> lrRange,
      Double sourceAccBefore,
      Double sourceAccAfter,
      FeatureProbe featureProbe,
      FeatureProbe control) {
    this(
        learningCurve,
        linearProbeValAcc,
        lrRange,
        sourceAccBefore,
        sourceAccAfter,
        featureProbe,
        control,
        null,
        null,
        null);
  }

  /** Validation accuracy after training on a fraction of the training data. */
  public record CurvePoint(double fraction, int trainImages, double valAcc) {}

  /** Training loss after a few steps at a learning rate. */
  public record LrPoint(double lr, double loss) {}

  /**
   * A new head trained on frozen pretrained features.
   *
   * @param valAcc its best validation accuracy
   * @param trainSamples samples it trained on
   * @param valSamples samples it was validated on
   * @param classes classes it told apart
   * @param steps optimisation steps it took
   */
  public record FeatureProbe(
      double valAcc, int trainSamples, int valSamples, int classes, int steps) {
    public FeatureProbe {
      if (!(valAcc >= 0 && valAcc <= 1)) {
        throw new IllegalArgumentException("valAcc must be in [0, 1]: " + valAcc);
      }
      if (trainSamples <= 0 || valSamples <= 0) {
        throw new IllegalArgumentException(
            "a probe needs training and validation samples: " + trainSamples + ", " + valSamples);
      }
      if (classes < 2) {
        throw new IllegalArgumentException("classes must be >= 2: " + classes);
      }
    }

    /**
     * Accuracy above chance as a share of what is possible above it, {@code (acc - 1/K) / (1 -
     * 1/K)}: comparable between probes of different numbers of classes.
     */
    public double aboveChance() {
      double chance = 1.0 / classes;
      return (valAcc - chance) / (1 - chance);
    }

    /** The binomial standard error of {@link #aboveChance}, from the validation samples. */
    public double aboveChanceStdError() {
      double se = binomialStdError(valAcc, valSamples);
      return se / (1 - 1.0 / classes);
    }

    /** The binomial standard error of {@link #valAcc}. */
    public double stdError() {
      return binomialStdError(valAcc, valSamples);
    }

    /** Training samples per class. */
    public double perClass() {
      return (double) trainSamples / classes;
    }
  }

  /**
   * How well the pretrained model, unchanged, recognises the classes it shares with the target in
   * the target's samples, against its own source test samples of the same classes: a model that
   * knows a class on its source data and not on the target's is looking at shifted inputs.
   *
   * @param targetAcc accuracy on the target's validation samples of the shared classes
   * @param targetSamples how many such samples
   * @param sourceAcc accuracy on the source's test samples of the shared classes
   * @param sourceSamples how many such samples
   * @param sharedClasses classes the two tasks share, by name
   */
  public record Recognition(
      double targetAcc, int targetSamples, double sourceAcc, int sourceSamples, int sharedClasses) {
    public Recognition {
      if (!(targetAcc >= 0 && targetAcc <= 1) || !(sourceAcc >= 0 && sourceAcc <= 1)) {
        throw new IllegalArgumentException(
            "accuracies must be in [0, 1]: " + targetAcc + ", " + sourceAcc);
      }
      if (targetSamples <= 0 || sourceSamples <= 0) {
        throw new IllegalArgumentException(
            "recognition needs samples on both sides: " + targetSamples + ", " + sourceSamples);
      }
      if (sharedClasses < 1) {
        throw new IllegalArgumentException("sharedClasses must be >= 1: " + sharedClasses);
      }
    }

    /** How much lower the target's accuracy is than the source's. */
    public double drop() {
      return sourceAcc - targetAcc;
    }

    /** The binomial standard error of {@link #drop}, from both sides' samples. */
    public double dropStdError() {
      return Math.hypot(
          binomialStdError(sourceAcc, sourceSamples), binomialStdError(targetAcc, targetSamples));
    }
  }

  /**
   * Batch-norm input statistics of a set of samples against the network's running statistics.
   *
   * @param channels channels compared (those with a variance on both sides)
   * @param samples samples measured
   * @param meanShift root mean square over channels of the mean's distance from the running mean,
   *     in running standard deviations
   * @param varianceRatio the typical factor between the measured and the running variance: exp of
   *     the mean absolute log ratio over channels (1 when they agree)
   */
  public record FeatureStats(int channels, int samples, double meanShift, double varianceRatio) {
    public FeatureStats {
      if (channels < 1 || samples < 1) {
        throw new IllegalArgumentException(
            "feature statistics need channels and samples: " + channels + ", " + samples);
      }
      if (!(meanShift >= 0) || !(varianceRatio >= 1)) {
        throw new IllegalArgumentException(
            "meanShift must be >= 0 and varianceRatio >= 1: " + meanShift + ", " + varianceRatio);
      }
    }
  }
}
