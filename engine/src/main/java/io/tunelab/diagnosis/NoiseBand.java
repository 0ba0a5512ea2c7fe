package io.tunelab.diagnosis;

import io.tunelab.workflows.model.EpochMetrics;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The noise a validation metric carries because the validation set is finite: the half-width of its
 * 95% interval. Accuracy uses the Wilson score interval; loss uses a seeded bootstrap over the
 * per-image validation losses when an epoch's predictions are known, and otherwise an analytic
 * approximation from the mean loss, the accuracy and the validation size.
 *
 * <p>The analytic approximation treats the loss as concentrated on the misclassified images (error
 * rate {@code e}): the per-image standard deviation is then about {@code mean * sqrt((1 - e) / e)},
 * never taken below the mean itself (exponential-like spread). This is conservative: real
 * cross-entropy spreads are usually a little narrower. Without any validation size, {@value
 * #DEFAULT_VALIDATION_SIZE} images are assumed.
 */
public final class NoiseBand {
  /** The two-sided 95% normal quantile. */
  public static final double Z = 1.959963984540054;

  /** Validation size assumed when neither the dataset nor predictions say it. */
  public static final int DEFAULT_VALIDATION_SIZE = 200;

  /** Bootstrap resamples (fewer for very large validation sets, never below 200). */
  public static final int RESAMPLES = 1000;

  private static final long MAX_DRAWS = 2_000_000L;
  private static final long SEED = 0x5EED_7E57L;

  /** A closed interval. */
  public record Interval(double low, double high) {
    /** Half the interval's width. */
    public double halfWidth() {
      return (high - low) / 2;
    }
  }

  private final int validationSize;
  private final Map<Integer, EpochPredictions> predictions;
  private final Map<Integer, Double> lossBands = new HashMap<>();
  private final Samples samples;

  /**
   * The bands of one arm.
   *
   * @param validationSize images in the validation split, or 0 when unknown
   * @param predictions epoch to that epoch's validation predictions (may be empty)
   */
  public NoiseBand(int validationSize, Map<Integer, EpochPredictions> predictions) {
    this(validationSize, predictions, Samples.IMAGES);
  }

  /** The bands of one arm whose samples are worded as {@code samples} in {@link #describe()}. */
  NoiseBand(int validationSize, Map<Integer, EpochPredictions> predictions, Samples samples) {
    this.validationSize = validationSize;
    this.predictions = Map.copyOf(predictions);
    this.samples = samples;
  }

  /** Half-width of the 95% interval of the epoch's validation loss. */
  public double loss(EpochMetrics m) {
    EpochPredictions p = usable(m.epoch());
    if (p != null) {
      return lossBands.computeIfAbsent(
          m.epoch(), e -> bootstrapHalfWidth(p.loss(), SEED + 31L * e));
    }
    return analyticLossHalfWidth(m.valLoss(), m.valAcc(), size(m.epoch()));
  }

  /**
   * The change of the mean validation loss from one epoch to another, measured on the same images:
   * the mean and the 95% half-width of the per-image differences (normal approximation, which for
   * hundreds of images agrees with a bootstrap of the paired differences). Pairing removes the
   * spread between easy and hard images that both epochs share, so a real change shows up on a
   * validation set where the unpaired band of each epoch would hide it. Without usable predictions
   * of both epochs (or when they cover different images) it falls back to the unpaired band of
   * {@code from}.
   */
  public Change lossChange(EpochMetrics from, EpochMetrics to) {
    EpochPredictions a = usable(from.epoch());
    EpochPredictions b = usable(to.epoch());
    double delta = to.valLoss() - from.valLoss();
    if (a == null
        || b == null
        || a.size() != b.size()
        || !java.util.Arrays.equals(a.labels(), b.labels())) {
      return new Change(delta, loss(from), false);
    }
    int n = a.size();
    double sum = 0;
    double sumSq = 0;
    for (int i = 0; i < n; i++) {
      double d = (double) b.loss()[i] - a.loss()[i];
      sum += d;
      sumSq += d * d;
    }
    return new Change(delta, Z * Math.sqrt(sampleVariance(sum, sumSq, n) / n), true);
  }

  /**
   * A change of the validation loss between two epochs and its noise.
   *
   * @param delta the later epoch's mean loss minus the earlier one's
   * @param halfWidth half-width of the 95% interval of {@code delta}
   * @param paired whether per-image losses of both epochs were compared (else: the earlier epoch's
   *     unpaired band)
   */
  public record Change(double delta, double halfWidth, boolean paired) {
    /** Whether the loss rose beyond the noise. */
    public boolean roseBeyondNoise() {
      return delta > halfWidth;
    }
  }

  /** Half-width of the 95% Wilson interval of the epoch's validation accuracy. */
  public double acc(EpochMetrics m) {
    return wilson(m.valAcc(), size(m.epoch())).halfWidth();
  }

  /** The number of validation images behind an epoch's metrics. */
  public int size(int epoch) {
    EpochPredictions p = predictions.get(epoch);
    if (p != null && p.size() > 0) {
      return p.size();
    }
    return validationSize > 0 ? validationSize : DEFAULT_VALIDATION_SIZE;
  }

  /** How the bands were obtained, in words, for evidence strings. */
  public String describe() {
    if (!predictions.isEmpty()) {
      return "95% bands: bootstrap over "
          + size(predictions.keySet().iterator().next())
          + " per-"
          + samples.one
          + " validation losses, Wilson interval for accuracy";
    }
    if (validationSize > 0) {
      return "95% bands for "
          + validationSize
          + " validation "
          + samples.many
          + ": Wilson interval for accuracy, loss band approximated from accuracy and size (no "
          + "per-"
          + samples.one
          + " losses)";
    }
    return "95% bands assuming "
        + DEFAULT_VALIDATION_SIZE
        + " validation "
        + samples.many
        + " (validation size unknown)";
  }

  private EpochPredictions usable(int epoch) {
    EpochPredictions p = predictions.get(epoch);
    if (p == null || p.size() < 2) {
      return null;
    }
    for (float v : p.loss()) {
      if (!Float.isFinite(v)) {
        return null;
      }
    }
    return p;
  }

  /** The 95% Wilson score interval of a proportion {@code p} observed on {@code n} trials. */
  public static Interval wilson(double p, int n) {
    if (n <= 0) {
      throw new IllegalArgumentException("n must be > 0: " + n);
    }
    double q = Double.isFinite(p) ? Math.min(1, Math.max(0, p)) : 0.5;
    double z2 = Z * Z;
    double denominator = 1 + z2 / n;
    double centre = (q + z2 / (2.0 * n)) / denominator;
    double half = Z * Math.sqrt(q * (1 - q) / n + z2 / (4.0 * n * n)) / denominator;
    return new Interval(Math.max(0, centre - half), Math.min(1, centre + half));
  }

  /**
   * Half-width of the 95% interval of a mean by bootstrap: 1.96 times the standard deviation of the
   * means of resamples (with replacement) of the values. Deterministic for a seed.
   */
  public static double bootstrapHalfWidth(float[] values, long seed) {
    int n = values.length;
    if (n == 0) {
      return Double.NaN;
    }
    int resamples = (int) Math.max(200, Math.min(RESAMPLES, MAX_DRAWS / n));
    SplittableRandom random = new SplittableRandom(seed);
    double sum = 0;
    double sumSq = 0;
    for (int r = 0; r < resamples; r++) {
      double s = 0;
      for (int i = 0; i < n; i++) {
        s += values[random.nextInt(n)];
      }
      double mean = s / n;
      sum += mean;
      sumSq += mean * mean;
    }
    return Z * Math.sqrt(sampleVariance(sum, sumSq, resamples));
  }

  /** The unbiased sample variance of {@code n} values from their sum and sum of squares. */
  static double sampleVariance(double sum, double sumSq, int n) {
    double mean = sum / n;
    return Math.max(0, (sumSq - n * mean * mean) / (n - 1));
  }

  /** Half-width of the 95% interval of a mean validation loss, from its accuracy and size. */
  public static double analyticLossHalfWidth(double meanLoss, double acc, int n) {
    double error = Double.isFinite(acc) ? Math.min(0.99, Math.max(0.01, 1 - acc)) : 0.5;
    double sd = Math.abs(meanLoss) * Math.max(1, Math.sqrt((1 - error) / error));
    return Z * sd / Math.sqrt(Math.max(1, n));
  }
}
