package io.tunelab.cli.commands;

import io.tunelab.cli.RunSignals;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code tunelab pause RUN}: no arm starts another epoch until {@code tunelab unpause RUN}. */
@Command(
    name = "pause",
    mixinStandardHelpOptions = true,
    description =
        "Pauses a run: epochs in flight finish, no new epoch starts until 'tunelab unpause'.")
public final class PauseCommand implements Callable<Integer> {
  @Mixin RunRequest request;

  @Override
  public Integer call() {
    String runId = request.runId;
    return request.send(
        services -> new RunSignals(services).signalRunning(runId, "pause"),
        "pause requested for "
            + runId
            + ": epochs in flight finish, no new one starts until 'tunelab unpause "
            + runId
            + "'");
  }
}
