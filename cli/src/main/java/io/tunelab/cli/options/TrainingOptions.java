package io.tunelab.cli.options;

import io.tunelab.workflows.model.Augment;
import io.tunelab.workflows.model.Device;
import io.tunelab.workflows.model.Freeze;
import io.tunelab.workflows.model.Optimizer;
import io.tunelab.workflows.model.Schedule;
import io.tunelab.workflows.model.TrainingParams;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * Hyper-parameters shared by {@code run}, {@code pretrain}, {@code watch} and {@code sweep}; those
 * of the mlp model of tables ({@link DenseModelFlags}) are refused for other models.
 */
public final class TrainingOptions {
  @Option(
      names = "--epochs",
      paramLabel = "N",
      defaultValue = "10",
      description = "Maximum epochs (default: ${DEFAULT-VALUE}).")
  public int epochs;

  @Option(
      names = "--batch-size",
      paramLabel = "N",
      defaultValue = "32",
      description = "Images per step (default: ${DEFAULT-VALUE}).")
  public int batchSize;

  @Option(
      names = "--lr",
      paramLabel = "X",
      defaultValue = "0.001",
      description = "Learning rate (default: ${DEFAULT-VALUE}).")
  public double lr;

  @Option(
      names = "--optimizer",
      paramLabel = "sgd|adam|adamw",
      defaultValue = "adam",
      description = "Optimizer (default: ${DEFAULT-VALUE}).")
  public String optimizer;

  @Option(
      names = "--weight-decay",
      paramLabel = "X",
      defaultValue = "0",
      description = "Weight decay (default: ${DEFAULT-VALUE}).")
  public double weightDecay;

  @Option(
      names = "--augment",
      paramLabel = "none|light|standard|strong",
      defaultValue = "none",
      description = "Augmentation of the training split (default: ${DEFAULT-VALUE}).")
  public String augment;

  @Option(
      names = "--early-stopping-patience",
      paramLabel = "N",
      defaultValue = "4",
      description =
          "Epochs without a better validation loss before stopping; 0 = off (default: ${DEFAULT-VALUE}).")
  public int patience;

  @Option(
      names = "--schedule",
      paramLabel = "none|step|cosine|plateau",
      defaultValue = "cosine",
      description =
          "Learning-rate schedule over --epochs (default: ${DEFAULT-VALUE}: a constant "
              + "rate keeps the last epochs swinging; decaying it settles them).")
  public String schedule;

  @Option(
      names = "--milestones",
      paramLabel = "E[,E...]",
      split = ",",
      description =
          "With --schedule step: the epochs after which the learning rate is multiplied by"
              + " --gamma (default: every third of the epochs).")
  public List<Integer> milestones;

  @Option(
      names = "--gamma",
      paramLabel = "X",
      description =
          "With --schedule step: the factor on the learning rate at each milestone, in (0, 1]"
              + " (default: 0.1).")
  public Double gamma;

  @Option(
      names = "--seed",
      paramLabel = "N",
      defaultValue = "42",
      description =
          "Seed for split, initialisation, data order and augmentation (default: ${DEFAULT-VALUE}).")
  public long seed;

  @Option(
      names = "--device",
      paramLabel = "auto|cpu|gpu",
      defaultValue = "auto",
      description =
          "Where to train; gpu falls back to cpu with a message when none is present (default: ${DEFAULT-VALUE}).")
  public String device;

  @Option(
      names = "--early-stopping-min-delta",
      paramLabel = "X",
      defaultValue = "0",
      description =
          "Smallest fall of the validation loss that counts as an improvement (default: ${DEFAULT-VALUE}).")
  public double minDelta;

  @Option(
      names = "--warmup-epochs",
      paramLabel = "N",
      defaultValue = "0",
      description =
          "Epochs of linear learning-rate warmup before the schedule (default: ${DEFAULT-VALUE}).")
  public int warmupEpochs;

  @Option(
      names = "--head-dropout",
      paramLabel = "X",
      defaultValue = "0.2",
      description = "Dropout before the classifier head (default: ${DEFAULT-VALUE}).")
  public double headDropout;

  @Option(
      names = "--label-smoothing",
      paramLabel = "X",
      defaultValue = "0",
      description = "Label smoothing of the training loss (default: ${DEFAULT-VALUE}).")
  public double labelSmoothing;

  @Option(
      names = "--class-weighted",
      description = "Weight the training loss by inverse class frequency.")
  public boolean classWeighted;

  @Option(
      names = "--backbone-lr-factor",
      paramLabel = "X",
      defaultValue = "0.1",
      description =
          "Fine-tuning: the pretrained backbone learns at this fraction of --lr while "
              + "the new head learns at --lr (discriminative learning rates; 1 = one rate for all; "
              + "default: ${DEFAULT-VALUE}). Ignored by the scratch arm and by pretrain.")
  public double backboneLrFactor;

  @Option(
      names = "--checkpoint-every",
      paramLabel = "DURATION",
      defaultValue = "0",
      converter = IntervalConverter.class,
      description =
          "Also checkpoint the epoch in flight this often (e.g. 10m, 90s, 1h; a bare"
              + " number is minutes), so a killed worker loses minutes rather than an epoch (0 = at"
              + " the end of each epoch only; default: ${DEFAULT-VALUE}).")
  public int checkpointEverySeconds;

  @Option(
      names = "--hidden",
      paramLabel = "N[,N...]",
      split = ",",
      description =
          "Model mlp (tables): the units of each hidden layer, input side first (default: 128;"
              + " run: the pretrained model's).")
  public List<Integer> hidden;

  @Option(
      names = "--dropout",
      paramLabel = "X",
      description = "Model mlp (tables): dropout after each hidden layer (default: 0).")
  public Double dropout;

  @Option(
      names = "--l2",
      paramLabel = "X",
      description =
          "Model mlp (tables): X times the sum of the squared weights of every dense layer (not"
              + " the biases) added to the training loss, as Keras' kernel_regularizer=l2(X); the"
              + " reported train loss includes it, validation and test losses do not. Apart from"
              + " --weight-decay (default: 0).")
  public Double l2;

  /** The flags of the mlp model of tables given on the command line, as {@code --hidden}. */
  public List<String> denseFlagsGiven() {
    List<String> given = new ArrayList<>();
    if (hidden != null) {
      given.add("--hidden");
    }
    if (dropout != null) {
      given.add("--dropout");
    }
    if (l2 != null) {
      given.add("--l2");
    }
    return given;
  }

  /** Reads {@code 10m}, {@code 90s}, {@code 1h} or a bare number of minutes as seconds. */
  public static final class IntervalConverter
      implements picocli.CommandLine.ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
      java.util.regex.Matcher m =
          java.util.regex.Pattern.compile("(\\d{1,6})([smh]?)").matcher(value.trim());
      if (!m.matches()) {
        throw new picocli.CommandLine.TypeConversionException(
            "'" + value + "' is not a duration" + " like 10m, 90s or 1h");
      }
      long n = Long.parseLong(m.group(1));
      long seconds =
          switch (m.group(2)) {
            case "s" -> n;
            case "h" -> n * 3600;
            default -> n * 60;
          };
      if (seconds > Integer.MAX_VALUE) {
        throw new picocli.CommandLine.TypeConversionException("'" + value + "' is too long");
      }
      return (int) seconds;
    }
  }

  /**
   * The parameters, validated (bad values are usage errors): a choice that is none of its values is
   * named with the values it takes ({@code optimizer must be one of sgd|adam|adamw: x}).
   */
  public TrainingParams params(Freeze freeze) {
    Schedule parsed = Schedule.parse(schedule);
    if ((milestones != null || gamma != null) && parsed != Schedule.STEP) {
      throw new IllegalArgumentException(
          (milestones != null ? "--milestones" : "--gamma")
              + " applies to --schedule step, not --schedule "
              + parsed.wire());
    }
    return TrainingParams.builder()
        .epochs(epochs)
        .batchSize(batchSize)
        .learningRate(lr)
        .optimizer(Optimizer.parse(optimizer))
        .weightDecay(weightDecay)
        .augment(Augment.parse(augment))
        .freeze(freeze)
        .earlyStoppingPatience(patience)
        .schedule(parsed)
        .milestones(milestones)
        .gamma(gamma == null ? TrainingParams.DEFAULT_GAMMA : gamma)
        .seed(seed)
        .device(Device.parse(device))
        .minDelta(minDelta)
        .warmupEpochs(warmupEpochs)
        .headDropout(headDropout)
        .labelSmoothing(labelSmoothing)
        .classWeighted(classWeighted)
        .backboneLrFactor(backboneLrFactor)
        .checkpointEverySeconds(checkpointEverySeconds)
        .hidden(hidden)
        .dropout(dropout == null ? 0 : dropout)
        .l2(l2 == null ? 0 : l2)
        .build();
  }
}
