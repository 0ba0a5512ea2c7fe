package io.tunelab.cli.commands;

import io.tunelab.cli.RunSignals;
import io.tunelab.cli.Services;
import io.tunelab.cli.UsageException;
import io.tunelab.workflows.model.RunState;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code tunelab stop RUN [--arm finetune|scratch]}: ends one arm, or every arm, at its next epoch
 * boundary. The arm keeps its best checkpoint, is tested on it, and the report says it stopped
 * early and why. Unlike {@code cancel}, the run completes.
 */
@Command(
    name = "stop",
    mixinStandardHelpOptions = true,
    description =
        "Stops a run's arms early, at their next epoch boundary; the best checkpoint "
            + "is kept, tested and reported.")
public final class StopCommand implements Callable<Integer> {
  static final List<String> ARMS = List.of("finetune", "scratch", "pretrain");

  @Mixin RunRequest request;

  @Option(
      names = "--arm",
      paramLabel = "ARM",
      description =
          "Only this arm: finetune or scratch (pretrain for a pretraining run); "
              + "default: every arm.")
  String arm;

  @Override
  public Integer call() {
    if (arm != null && !ARMS.contains(arm)) {
      throw new UsageException(
          "--arm must be finetune or scratch (pretrain for a pretraining run), not '" + arm + "'");
    }
    return request.send(
        this::stop,
        "stop requested for "
            + (arm == null ? "every arm" : "arm " + arm)
            + " of "
            + request.runId
            + ": it ends after the epoch in flight, keeping its best checkpoint");
  }

  private void stop(Services services) {
    String runId = request.runId;
    RunSignals signals = new RunSignals(services);
    if (arm == null) {
      signals.requireRunning(runId);
    } else {
      RunState state = signals.state(runId).orElse(null);
      if (state != null && !state.arms().isEmpty() && !state.arms().containsKey(arm)) {
        throw new UsageException(
            "run '"
                + runId
                + "' has no "
                + arm
                + " arm (it has "
                + String.join(", ", state.arms().keySet())
                + ")");
      }
    }
    signals.signal(runId, "stopArm", arm == null ? "all" : arm);
  }
}
