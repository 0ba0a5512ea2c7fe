package io.tunelab.cli.options;

import io.tunelab.workflows.model.Freeze;
import io.tunelab.workflows.model.Head;
import io.tunelab.workflows.model.TrainingParams;
import picocli.CommandLine.Option;

/**
 * The arms of an experiment, shared by {@code run} and {@code watch}: how the fine-tune arm treats
 * the pretrained model, and whether and at what learning rate the scratch baseline trains.
 */
public final class ArmOptions {
  @Option(
      names = "--scratch-lr",
      paramLabel = "X",
      description = "Learning rate of the scratch arm (default: --lr).")
  public Double scratchLr;

  @Option(
      names = "--freeze",
      paramLabel = "none|backbone|gradual",
      defaultValue = "none",
      description = "Fine-tune strategy (default: ${DEFAULT-VALUE}).")
  public String freeze;

  @Option(
      names = "--head",
      paramLabel = "new|reuse",
      defaultValue = "new",
      description =
          "Fine-tune: new starts the whole output layer new; reuse starts the output units of the"
              + " classes the pretrained model also has (by name) from its output layer (default:"
              + " ${DEFAULT-VALUE}).")
  public String head;

  @Option(names = "--no-scratch", description = "Skip the scratch baseline.")
  public boolean noScratch;

  /** The fine-tune arm's parameters, validated (bad values are usage errors). */
  public TrainingParams finetune(TrainingOptions training) {
    return training.params(Freeze.parse(freeze)).toBuilder().head(Head.parse(head)).build();
  }

  /** The scratch arm's learning rate: {@code --scratch-lr}, else {@code --lr}. */
  public double scratchLearningRate(TrainingOptions training) {
    return scratchLr == null ? training.lr : scratchLr;
  }

  /** Whether the experiment trains the scratch baseline. */
  public boolean scratch() {
    return !noScratch;
  }
}
