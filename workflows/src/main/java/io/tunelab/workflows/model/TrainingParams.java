package io.tunelab.workflows.model;

/**
 * The hyper-parameters of one training arm. Every field is plain data so that the record can travel
 * through a workflow history; it never carries credentials or tensors.
 *
 * @param epochs maximum number of epochs
 * @param batchSize images per optimisation step
 * @param learningRate base learning rate
 * @param optimizer one of {@code sgd}, {@code adam}, {@code adamw}
 * @param weightDecay L2 weight decay
 * @param augment augmentation policy: {@code none}, {@code light}, {@code standard}, {@code strong}
 * @param freeze fine-tune strategy: {@code none}, {@code backbone}, {@code gradual}
 * @param earlyStoppingPatience epochs without improvement before stopping; 0 turns it off
 * @param schedule learning-rate schedule: {@code none}, {@code step}, {@code cosine}, {@code
 *     plateau}
 * @param seed seed for initialisation, data order and augmentation
 * @param device {@code auto}, {@code cpu} or {@code gpu}
 * @param minDelta smallest fall of the validation loss that counts as an improvement
 * @param warmupEpochs epochs over which the learning rate rises linearly to its base value
 * @param headDropout dropout rate before the classifier head
 * @param labelSmoothing label smoothing of the training loss, in [0, 1)
 * @param classWeighted whether the training loss weights classes by inverse frequency
 * @param backboneLrFactor the factor on the learning rate of the pretrained backbone's parameters
 *     when an arm fine-tunes a pretrained model (discriminative learning rates: the new head learns
 *     at the full rate, the pretrained features move gently); 1 trains all parameters at one rate;
 *     ignored when training from scratch. 0 (the field absent from a history) means 1
 * @param checkpointEverySeconds besides the checkpoint at the end of every epoch, save the epoch in
 *     flight every this many seconds, so that a killed worker's retry continues from there rather
 *     than from the epoch's start; 0 (the default, also when the field is absent) checkpoints at
 *     epoch ends only. With it on, the engine's random generator is reseeded at every step, so a
 *     resumed epoch ends exactly as an uninterrupted one
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
    boolean classWeighted,
    double backboneLrFactor,
    int checkpointEverySeconds) {

  /** Default dropout rate before the classifier head. */
  public static final double DEFAULT_HEAD_DROPOUT = 0.2;

  /** The parameters with checkpoints at epoch ends only. */
  public TrainingParams(
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
      boolean classWeighted,
      double backboneLrFactor) {
    this(
        epochs,
        batchSize,
        learningRate,
        optimizer,
        weightDecay,
        augment,
        freeze,
        earlyStoppingPatience,
        schedule,
        seed,
        device,
        minDelta,
        warmupEpochs,
        headDropout,
        labelSmoothing,
        classWeighted,
        backboneLrFactor,
        0);
  }

  /** The parameters with one learning rate for every parameter. */
  public TrainingParams(
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
    this(
        epochs,
        batchSize,
        learningRate,
        optimizer,
        weightDecay,
        augment,
        freeze,
        earlyStoppingPatience,
        schedule,
        seed,
        device,
        minDelta,
        warmupEpochs,
        headDropout,
        labelSmoothing,
        classWeighted,
        1.0);
  }

  /** The parameters with no warmup, no min-delta, the default head dropout and plain loss. */
  public TrainingParams(
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
      String device) {
    this(
        epochs,
        batchSize,
        learningRate,
        optimizer,
        weightDecay,
        augment,
        freeze,
        earlyStoppingPatience,
        schedule,
        seed,
        device,
        0,
        0,
        DEFAULT_HEAD_DROPOUT,
        0,
        false);
  }

  public TrainingParams {
    if (backboneLrFactor == 0) {
      backboneLrFactor = 1.0;
    }
    if (!(backboneLrFactor > 0) || backboneLrFactor > 10) {
      throw new IllegalArgumentException(
          "backbone learning-rate factor must be in (0, 10]: " + backboneLrFactor);
    }
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
    if (checkpointEverySeconds < 0) {
      throw new IllegalArgumentException(
          "checkpoint interval must be >= 0 seconds (0 = at epoch"
              + " ends only): "
              + checkpointEverySeconds);
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
    return new TrainingParams(
        epochs,
        batchSize,
        lr,
        optimizer,
        weightDecay,
        augment,
        freeze,
        earlyStoppingPatience,
        schedule,
        seed,
        device,
        minDelta,
        warmupEpochs,
        headDropout,
        labelSmoothing,
        classWeighted,
        backboneLrFactor,
        checkpointEverySeconds);
  }

  /**
   * A copy with another backbone learning-rate factor (1 for an arm without a pretrained backbone).
   */
  public TrainingParams withBackboneLrFactor(double factor) {
    return new TrainingParams(
        epochs,
        batchSize,
        learningRate,
        optimizer,
        weightDecay,
        augment,
        freeze,
        earlyStoppingPatience,
        schedule,
        seed,
        device,
        minDelta,
        warmupEpochs,
        headDropout,
        labelSmoothing,
        classWeighted,
        factor,
        checkpointEverySeconds);
  }

  /** A copy with another freeze strategy. */
  public TrainingParams withFreeze(String strategy) {
    return new TrainingParams(
        epochs,
        batchSize,
        learningRate,
        optimizer,
        weightDecay,
        augment,
        strategy,
        earlyStoppingPatience,
        schedule,
        seed,
        device,
        minDelta,
        warmupEpochs,
        headDropout,
        labelSmoothing,
        classWeighted,
        backboneLrFactor,
        checkpointEverySeconds);
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
