package io.tunelab.workflows.model;

/**
 * The hyper-parameters of one training arm. Every field is plain data so that the record can
 * travel through a workflow history; it never carries credentials or tensors.
 *
 * @param epochs maximum number of epochs
 * @param batchSize images per optimisation step
 * @param learningRate base learning rate
 * @param optimizer one of {@code sgd}, {@code adam}, {@code adamw}
 * @param weightDecay L2 weight decay
 * @param augment augmentation policy: {@code none}, {@code light}, {@code standard}, {@code strong}
 * @param freeze fine-tune strategy: {@code none}, {@code backbone}, {@code gradual}
 * @param earlyStoppingPatience epochs without improvement before stopping; 0 turns it off
 * @param schedule learning-rate schedule: {@code none}, {@code step}, {@code cosine}, {@code plateau}
 * @param seed seed for initialisation, data order and augmentation
 * @param device {@code auto}, {@code cpu} or {@code gpu}
 * @param minDelta smallest fall of the validation loss that counts as an improvement
 * @param warmupEpochs epochs over which the learning rate rises linearly to its base value
 * @param headDropout dropout rate before the classifier head
 * @param labelSmoothing label smoothing of the training loss, in [0, 1)
 * @param classWeighted whether the training loss weights classes by inverse frequency
 */
public record TrainingParams(
    int epochs,
    int batchSize,
    double learningRate,
    String optimizer,
    double weightDecay,
    String augment,
    String freeze,
    int earlyStoppingPatience,
    String schedule,
    long seed,
    String device,
    double minDelta,
    int warmupEpochs,
    double headDropout,
    double labelSmoothing,
    boolean classWeighted) {

  /** Default head dropout, as the networks have always had it. */
  public static final double DEFAULT_HEAD_DROPOUT = 0.2;

  /** The parameters with no warmup, no min-delta, the default head dropout and plain loss. */
  public TrainingParams(int epochs, int batchSize, double learningRate, String optimizer,
      double weightDecay, String augment, String freeze, int earlyStoppingPatience,
      String schedule, long seed, String device) {
    this(epochs, batchSize, learningRate, optimizer, weightDecay, augment, freeze,
        earlyStoppingPatience, schedule, seed, device, 0, 0, DEFAULT_HEAD_DROPOUT, 0, false);
  }

  public TrainingParams {
    if (epochs <= 0) {
      throw new IllegalArgumentException("epochs must be > 0: " + epochs);
    }
    if (batchSize <= 0) {
      throw new IllegalArgumentException("batch size must be > 0: " + batchSize);
    }
    if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
      throw new IllegalArgumentException("learning rate must be > 0: " + learningRate);
    }
    if (weightDecay < 0) {
      throw new IllegalArgumentException("weight decay must be >= 0: " + weightDecay);
    }
    if (earlyStoppingPatience < 0) {
      throw new IllegalArgumentException(
          "early-stopping patience must be >= 0: " + earlyStoppingPatience);
    }
    if (!(minDelta >= 0)) {
      throw new IllegalArgumentException("min-delta must be >= 0: " + minDelta);
    }
    if (warmupEpochs < 0) {
      throw new IllegalArgumentException("warmup epochs must be >= 0: " + warmupEpochs);
    }
    if (!(headDropout >= 0 && headDropout < 1)) {
      throw new IllegalArgumentException("head dropout must be in [0, 1): " + headDropout);
    }
    if (!(labelSmoothing >= 0 && labelSmoothing < 1)) {
      throw new IllegalArgumentException("label smoothing must be in [0, 1): " + labelSmoothing);
    }
    requireOneOf("optimizer", optimizer, "sgd", "adam", "adamw");
    requireOneOf("augment", augment, "none", "light", "standard", "strong");
    requireOneOf("freeze", freeze, "none", "backbone", "gradual");
    requireOneOf("schedule", schedule, "none", "step", "cosine", "plateau");
    requireOneOf("device", device, "auto", "cpu", "gpu");
  }

  /** A copy with another learning rate, for the scratch arm's own rate. */
  public TrainingParams withLearningRate(double lr) {
    return new TrainingParams(epochs, batchSize, lr, optimizer, weightDecay, augment, freeze,
        earlyStoppingPatience, schedule, seed, device, minDelta, warmupEpochs, headDropout,
        labelSmoothing, classWeighted);
  }

  /** A copy with another freeze strategy. */
  public TrainingParams withFreeze(String strategy) {
    return new TrainingParams(epochs, batchSize, learningRate, optimizer, weightDecay, augment,
        strategy, earlyStoppingPatience, schedule, seed, device, minDelta, warmupEpochs,
        headDropout, labelSmoothing, classWeighted);
  }

  static void requireOneOf(String name, String value, String... allowed) {
    for (String a : allowed) {
      if (a.equals(value)) {
        return;
      }
    }
    throw new IllegalArgumentException(
        name + " must be one of " + String.join("|", allowed) + ": " + value);
  }
}
