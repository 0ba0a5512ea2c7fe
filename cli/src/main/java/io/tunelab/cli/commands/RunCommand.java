package io.tunelab.cli.commands;

import io.tunelab.cli.Launcher;
import io.tunelab.cli.Services;
import io.tunelab.cli.options.ConnectionOptions;
import io.tunelab.cli.options.RunOptions;
import io.tunelab.cli.options.WaitOptions;
import io.tunelab.workflows.model.ExperimentSpec;
import io.tunelab.workflows.model.RunIds;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tunelab run}: fine-tune a pretrained model and train a scratch baseline on the same
 * splits.
 */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description =
        "Starts an experiment: fine-tune arm and scratch-baseline arm on identical splits.")
public final class RunCommand implements Callable<Integer> {
  @Mixin ConnectionOptions connection;
  @Mixin RunOptions run;
  @Spec CommandSpec spec;

  @Option(
      names = "--name",
      paramLabel = "NAME",
      description = "Run id; refused when already in use.")
  String name;

  @Mixin WaitOptions wait;

  @Override
  public Integer call() {
    String runId = name != null ? name : Launcher.newRunId("run");
    RunIds.requireValid(runId);
    ExperimentSpec experiment = run.experiment(runId);
    try (Services services = new Services(connection)) {
      services.temporal(); // connected first: an unreachable Temporal is named before the bucket
      experiment = run.withModel(experiment, services, spec.commandLine().getErr());
      new Launcher(services).startExperiment(experiment);
      return wait.follow(runId, "started run " + runId, services, spec.commandLine());
    }
  }
}
