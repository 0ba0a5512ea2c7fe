package io.tunelab.cli.commands;

import io.tunelab.cli.CliSupport;
import io.tunelab.cli.Launcher;
import io.tunelab.cli.Services;
import io.tunelab.cli.options.ConnectionOptions;
import io.tunelab.cli.options.DenseModelFlags;
import io.tunelab.cli.options.SourceOptions;
import io.tunelab.cli.options.SubsetOptions;
import io.tunelab.cli.options.TrainingOptions;
import io.tunelab.cli.options.WaitOptions;
import io.tunelab.workflows.model.Freeze;
import io.tunelab.workflows.model.PretrainSpec;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tunelab pretrain}: train a source model and register it by name. */
@Command(
    name = "pretrain",
    mixinStandardHelpOptions = true,
    description = "Trains a source model on a dataset and registers it under a name.")
public final class PretrainCommand implements Callable<Integer> {
  @Mixin ConnectionOptions connection;
  @Mixin TrainingOptions training;
  @Spec CommandSpec spec;

  @Mixin SourceOptions data;

  @Option(names = "--name", required = true, paramLabel = "NAME", description = "Registry name.")
  String name;

  @Mixin SubsetOptions subset;

  @Option(
      names = "--model",
      paramLabel = "cnn|resnet18|resnet50|mlp|c3d",
      defaultValue = "cnn",
      description = "Architecture (default: ${DEFAULT-VALUE}).")
  String model;

  @Option(
      names = "--image-size",
      paramLabel = "PIXELS",
      defaultValue = "28",
      description =
          "Side of the square model input; images are resized to it (default: ${DEFAULT-VALUE}).")
  int imageSize;

  @Option(
      names = "--run-name",
      paramLabel = "ID",
      description = "Run id; refused when already in use.")
  String runName;

  @Mixin WaitOptions wait;

  @Override
  public Integer call() {
    CliSupport.requireModelName(name);
    DenseModelFlags dense = DenseModelFlags.forPretrain(model);
    dense.check(training);
    dense.checkData(data.resolved());
    String runId = runName != null ? runName : Launcher.newRunId("pretrain-" + name);
    PretrainSpec pretrain =
        new PretrainSpec(
            runId,
            data.resolved(),
            subset.classList(),
            subset.perClass,
            name,
            model,
            imageSize,
            training.params(Freeze.NONE).withBackboneLrFactor(1.0),
            subset.columns(),
            subset.stacks());
    try (Services services = new Services(connection)) {
      new Launcher(services).startPretrain(pretrain);
      return wait.follow(runId, "started pretraining run " + runId, services, spec.commandLine());
    }
  }
}
