package io.tunelab.workflows.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The hyper-parameters of one training arm. Every field is plain data so that the record can travel
 * through a workflow history; it never carries credentials or tensors. Build one with {@link
 * #builder()}; the canonical constructor is what Jackson uses to read histories.
 *
 * @param epochs maximum number of epochs
 * @param batchSize images per optimisation step
 * @param learningRate base learning rate
 * @param optimizer the optimizer
 * @param weightDecay L2 weight decay
 * @param augment augmentation policy
 * @param freeze fine-tune strategy
 * @param earlyStoppingPatience epochs without improvement before stopping; 0 turns it off
 * @param schedule learning-rate schedule
 * @param seed seed for initialisation, data order and augmentation
 * @param device where to train
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
 * @param hidden the units of each hidden dense layer of the {@code mlp} model of tables, input side
 *     first; absent (an older history) means {@link #DEFAULT_HIDDEN}; ignored by the image models
 * @param dropout the dropout rate after each hidden layer of {@code mlp}, in [0, 1); 0 when absent
 * @param l2 the penalty {@code l2 * sum(w^2)} over the weights (not the biases) of every dense
 *     layer of {@code mlp}, added to the training loss (Keras' {@code kernel_regularizer=l2(x)}),
 *     apart from {@code weightDecay}; 0 when absent
 * @param milestones for the {@code step} schedule: the epochs after which the learning rate is
 *     multiplied by {@code gamma}, increasing; empty (also when absent) means every third of the
 *     epochs
 * @param gamma for the {@code step} schedule: the factor at each milestone, in (0, 1]; 0 (the field
 *     absent) means {@link #DEFAULT_GAMMA}
 * @param head how a fine-tune starts its output layer; {@code null} (the field absent) means {@link
 *     Head#NEW}, which is left out of JSON so that runs without it are written as before
 */
public record TrainingParams(
    int epochs,
    int batchSize,
    double learningRate,
    Optimizer optimizer,
    double weightDecay,
    Augment augment,
    Freeze freeze,
    int earlyStoppingPatience,
    Schedule schedule,
    long seed,
    Device device,
    double minDelta,
    int warmupEpochs,
    double headDropout,
    double labelSmoothing,
    boolean classWeighted,
    double backboneLrFactor,
    int checkpointEverySeconds,
    @JsonInclude(value = JsonInclude.Include.CUSTOM, valueFilter = DefaultHidden.class)
        List<Integer> hidden,
    @JsonInclude(JsonInclude.Include.NON_DEFAULT) double dropout,
    @JsonInclude(JsonInclude.Include.NON_DEFAULT) double l2,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<Integer> milestones,
    @JsonInclude(value = JsonInclude.Include.CUSTOM, valueFilter = DefaultGamma.class) double gamma,
    @JsonInclude(value = JsonInclude.Include.CUSTOM, valueFilter = DefaultHead.class) Head head) {

  /** Default dropout rate before the classifier head. */
  public static final double DEFAULT_HEAD_DROPOUT = 0.2;

  /** The hidden layers of {@code mlp} when none are given: one of 128 units. */
  public static final List<Integer> DEFAULT_HIDDEN = List.of(128);

  /** The step schedule's factor when none is given. */
  public static final double DEFAULT_GAMMA = 0.1;

  public TrainingParams {
    head = head == null ? Head.NEW : head;
    milestones = milestones == null ? List.of() : List.copyOf(milestones);
    for (int i = 0; i < milestones.size(); i++) {
      if (milestones.get(i) < 1 || (i > 0 && milestones.get(i) <= milestones.get(i - 1))) {
        throw new IllegalArgumentException(
            "milestones must be epochs >= 1 in increasing order: " + milestones);
      }
    }
    if (gamma == 0) {
      gamma = DEFAULT_GAMMA;
    }
    if (!(gamma > 0 && gamma <= 1)) {
      throw new IllegalArgumentException("gamma must be in (0, 1]: " + gamma);
    }
    hidden = hidden == null || hidden.isEmpty() ? DEFAULT_HIDDEN : List.copyOf(hidden);
    for (int units : hidden) {
      if (units < 1 || units > 65536) {
        throw new IllegalArgumentException("hidden layer units must be in [1, 65536]: " + hidden);
      }
    }
    if (!(dropout >= 0 && dropout < 1)) {
      throw new IllegalArgumentException("dropout must be in [0, 1): " + dropout);
    }
    if (!(l2 >= 0) || Double.isInfinite(l2)) {
      throw new IllegalArgumentException("l2 must be finite and >= 0: " + l2);
    }
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
    Choices.required("optimizer", optimizer);
    Choices.required("augment", augment);
    Choices.required("freeze", freeze);
    Choices.required("schedule", schedule);
    Choices.required("device", device);
  }

  /**
   * A builder with the defaults: adam, no augmentation, no freezing, no early stopping, a constant
   * rate, seed 0, the best device, the default head dropout, plain loss and one rate for every
   * parameter. Epochs, batch size and learning rate have no default.
   */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding these parameters, to change a few. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** A copy with another learning rate, for the scratch arm's own rate. */
  public TrainingParams withLearningRate(double lr) {
    return toBuilder().learningRate(lr).build();
  }

  /**
   * A copy with another backbone learning-rate factor (1 for an arm without a pretrained backbone).
   */
  public TrainingParams withBackboneLrFactor(double factor) {
    return toBuilder().backboneLrFactor(factor).build();
  }

  /** A copy with another freeze strategy. */
  public TrainingParams withFreeze(Freeze strategy) {
    return toBuilder().freeze(strategy).build();
  }

  /**
   * Leaves the default hidden layers out of JSON, as the zero dropout and L2 are, so that the
   * parameters of image runs are written as they were before tables.
   */
  public static final class DefaultHidden {
    @Override
    public boolean equals(Object value) {
      return DEFAULT_HIDDEN.equals(value);
    }

    @Override
    public int hashCode() {
      return DEFAULT_HIDDEN.hashCode();
    }
  }

  /** Leaves the default gamma out of JSON, so that runs without it are written as before. */
  public static final class DefaultGamma {
    @Override
    public boolean equals(Object value) {
      return value instanceof Double d && d == DEFAULT_GAMMA;
    }

    @Override
    public int hashCode() {
      return Double.hashCode(DEFAULT_GAMMA);
    }
  }

  /** Leaves the default head out of JSON, so that runs without it are written as before. */
  public static final class DefaultHead {
    @Override
    public boolean equals(Object value) {
      return value == null || value == Head.NEW;
    }

    @Override
    public int hashCode() {
      return Head.NEW.hashCode();
    }
  }

  /** Collects the parameters by name; {@link #build()} validates them. */
  public static final class Builder {
    private int epochs;
    private int batchSize;
    private double learningRate;
    private Optimizer optimizer = Optimizer.ADAM;
    private double weightDecay;
    private Augment augment = Augment.NONE;
    private Freeze freeze = Freeze.NONE;
    private int earlyStoppingPatience;
    private Schedule schedule = Schedule.NONE;
    private long seed;
    private Device device = Device.AUTO;
    private double minDelta;
    private int warmupEpochs;
    private double headDropout = DEFAULT_HEAD_DROPOUT;
    private double labelSmoothing;
    private boolean classWeighted;
    private double backboneLrFactor = 1.0;
    private int checkpointEverySeconds;
    private List<Integer> hidden = DEFAULT_HIDDEN;
    private double dropout;
    private double l2;
    private List<Integer> milestones = List.of();
    private double gamma = DEFAULT_GAMMA;
    private Head head = Head.NEW;

    private Builder() {}

    private Builder(TrainingParams p) {
      epochs = p.epochs;
      batchSize = p.batchSize;
      learningRate = p.learningRate;
      optimizer = p.optimizer;
      weightDecay = p.weightDecay;
      augment = p.augment;
      freeze = p.freeze;
      earlyStoppingPatience = p.earlyStoppingPatience;
      schedule = p.schedule;
      seed = p.seed;
      device = p.device;
      minDelta = p.minDelta;
      warmupEpochs = p.warmupEpochs;
      headDropout = p.headDropout;
      labelSmoothing = p.labelSmoothing;
      classWeighted = p.classWeighted;
      backboneLrFactor = p.backboneLrFactor;
      checkpointEverySeconds = p.checkpointEverySeconds;
      hidden = p.hidden;
      dropout = p.dropout;
      l2 = p.l2;
      milestones = p.milestones;
      gamma = p.gamma;
      head = p.head;
    }

    public Builder epochs(int epochs) {
      this.epochs = epochs;
      return this;
    }

    public Builder batchSize(int batchSize) {
      this.batchSize = batchSize;
      return this;
    }

    public Builder learningRate(double learningRate) {
      this.learningRate = learningRate;
      return this;
    }

    public Builder optimizer(Optimizer optimizer) {
      this.optimizer = optimizer;
      return this;
    }

    public Builder weightDecay(double weightDecay) {
      this.weightDecay = weightDecay;
      return this;
    }

    public Builder augment(Augment augment) {
      this.augment = augment;
      return this;
    }

    public Builder freeze(Freeze freeze) {
      this.freeze = freeze;
      return this;
    }

    public Builder earlyStoppingPatience(int earlyStoppingPatience) {
      this.earlyStoppingPatience = earlyStoppingPatience;
      return this;
    }

    public Builder schedule(Schedule schedule) {
      this.schedule = schedule;
      return this;
    }

    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    public Builder device(Device device) {
      this.device = device;
      return this;
    }

    public Builder minDelta(double minDelta) {
      this.minDelta = minDelta;
      return this;
    }

    public Builder warmupEpochs(int warmupEpochs) {
      this.warmupEpochs = warmupEpochs;
      return this;
    }

    public Builder headDropout(double headDropout) {
      this.headDropout = headDropout;
      return this;
    }

    public Builder labelSmoothing(double labelSmoothing) {
      this.labelSmoothing = labelSmoothing;
      return this;
    }

    public Builder classWeighted(boolean classWeighted) {
      this.classWeighted = classWeighted;
      return this;
    }

    public Builder backboneLrFactor(double backboneLrFactor) {
      this.backboneLrFactor = backboneLrFactor;
      return this;
    }

    public Builder checkpointEverySeconds(int checkpointEverySeconds) {
      this.checkpointEverySeconds = checkpointEverySeconds;
      return this;
    }

    public Builder hidden(List<Integer> hidden) {
      this.hidden = hidden;
      return this;
    }

    public Builder dropout(double dropout) {
      this.dropout = dropout;
      return this;
    }

    public Builder l2(double l2) {
      this.l2 = l2;
      return this;
    }

    public Builder milestones(List<Integer> milestones) {
      this.milestones = milestones;
      return this;
    }

    public Builder gamma(double gamma) {
      this.gamma = gamma;
      return this;
    }

    public Builder head(Head head) {
      this.head = head;
      return this;
    }

    /**
     * The parameters.
     *
     * @throws IllegalArgumentException naming the first field out of range
     */
    public TrainingParams build() {
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
          backboneLrFactor,
          checkpointEverySeconds,
          hidden,
          dropout,
          l2,
          milestones,
          gamma,
          head);
    }
  }
}
