package io.tunelab.cli.commands;

import io.tunelab.cli.Launcher;
import io.tunelab.cli.Services;
import io.tunelab.cli.UsageException;
import io.tunelab.cli.options.ConnectionOptions;
import io.tunelab.cli.options.RunOptions;
import io.tunelab.cli.options.SweepAxes;
import io.tunelab.cli.options.WaitOptions;
import io.tunelab.workflows.model.ExperimentSpec;
import io.tunelab.workflows.model.RunIds;
import io.tunelab.workflows.model.SweepConfig;
import io.tunelab.workflows.model.SweepSpec;
import io.tunelab.workflows.model.TrainingParams;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tunelab sweep}: one experiment per combination of the varied values and per seed, each a
 * normal run, and a report that compares them with statistics over the seeds.
 */
@Command(
    name = "sweep",
    mixinStandardHelpOptions = true,
    description =
        "Runs one experiment per combination of the --vary values and per seed, side by side,"
            + " and compares them: means and 95% intervals over seeds, paired tests, a verdict.")
public final class SweepCommand implements Callable<Integer> {
  @Mixin ConnectionOptions connection;
  @Mixin RunOptions run;
  @Spec CommandSpec spec;

  @Option(
      names = "--vary",
      required = true,
      paramLabel = "FLAG=V1,V2[,...]",
      description =
          "A run flag (long name without dashes: lr, optimizer, weight-decay, head-dropout,"
              + " freeze, augment, schedule, batch-size, epochs, ...) and its values; repeat for"
              + " the cartesian product.")
  List<String> vary;

  @Option(
      names = "--seeds",
      paramLabel = "N",
      defaultValue = "1",
      description =
          "Seeds per config: --seed to --seed+N-1 (default: ${DEFAULT-VALUE}; 3 or more give"
              + " intervals and paired tests).")
  int seeds;

  @Option(
      names = "--max-parallel",
      paramLabel = "P",
      defaultValue = "1",
      description =
          "At most P member runs at once, on whatever workers serve the queues"
              + " (default: ${DEFAULT-VALUE}).")
  int maxParallel;

  @Option(
      names = "--name",
      paramLabel = "ID",
      description = "Sweep id (members are ID-c<config>-s<seed>); refused when already in use.")
  String name;

  @Mixin WaitOptions wait;

  @Override
  public Integer call() {
    String sweepId = name != null ? name : Launcher.newRunId("sweep");
    RunIds.requireValid(sweepId);
    if (seeds < 1) {
      throw new UsageException("--seeds must be > 0: " + seeds);
    }
    if (maxParallel < 1) {
      throw new UsageException("--max-parallel must be > 0: " + maxParallel);
    }
    SweepAxes axes = SweepAxes.parse(vary, spec.commandLine().getParseResult(), run);
    ExperimentSpec base = run.experiment(sweepId);
    List<Long> seedList = new ArrayList<>();
    for (int i = 0; i < seeds; i++) {
      seedList.add(base.finetune().seed() + i);
    }
    SweepSpec sweep = sweep(sweepId, base, axes, seedList);
    try (Services services = new Services(connection)) {
      services.temporal(); // connected first: an unreachable Temporal is named before the bucket
      base = run.withModel(base, services, spec.commandLine().getErr());
      run.denseFlags().checkVaried(axes.vary().keySet());
      sweep = sweep(sweepId, base, axes, seedList);
      new Launcher(services).startSweep(sweep);
      return wait.followSweep(
          sweepId,
          "started sweep "
              + sweepId
              + ": "
              + sweep.configs().size()
              + " configs x "
              + seeds
              + (seeds == 1 ? " seed" : " seeds"),
          services,
          spec.commandLine());
    }
  }

  private SweepSpec sweep(String sweepId, ExperimentSpec base, SweepAxes axes, List<Long> seeds) {
    try {
      List<SweepConfig> configs = new ArrayList<>();
      for (SweepConfig c : axes.configs(sweepId)) {
        // Before the model is known the parameters are the command line's.
        TrainingParams finetune =
            base.finetune().hidden().equals(c.finetune().hidden())
                ? c.finetune()
                : c.finetune().toBuilder().hidden(base.finetune().hidden()).build();
        configs.add(new SweepConfig(c.config(), c.values(), finetune, c.scratchLearningRate()));
      }
      return new SweepSpec(sweepId, base, axes.vary(), configs, seeds, maxParallel, 0);
    } catch (IllegalArgumentException e) {
      throw new UsageException("--name " + sweepId + ": " + e.getMessage());
    }
  }
}
