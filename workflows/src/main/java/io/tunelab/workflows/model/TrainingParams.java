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
    String device) {

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
    requireOneOf("optimizer", optimizer, "sgd", "adam", "adamw");
    requireOneOf("augment", augment, "none", "light", "standard", "strong");
    requireOneOf("freeze", freeze, "none", "backbone", "gradual");
    requireOneOf("schedule", schedule, "none", "step", "cosine", "plateau");
    requireOneOf("device", device, "auto", "cpu", "gpu");
  }

  /** A copy with another learning rate, for the scratch arm's own rate. */
  public TrainingParams withLearningRate(double lr) {
    return new TrainingParams(epochs, batchSize, lr, optimizer, weightDecay, augment, freeze,
        earlyStoppingPatience, schedule, seed, device);
  }

  /** A copy with another freeze strategy. */
  public TrainingParams withFreeze(String strategy) {
    return new TrainingParams(epochs, batchSize, learningRate, optimizer, weightDecay, augment,
        strategy, earlyStoppingPatience, schedule, seed, device);
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
