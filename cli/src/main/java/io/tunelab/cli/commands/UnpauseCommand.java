package io.tunelab.cli.commands;

import io.tunelab.cli.RunSignals;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code tunelab unpause RUN}: a paused run goes on. (Not {@code resume}: that verb continues a run
 * whose workflow was lost.)
 */
@Command(
    name = "unpause",
    mixinStandardHelpOptions = true,
    description =
        "Lets a paused run go on (see 'tunelab pause'; 'tunelab resume' is for lost runs).")
public final class UnpauseCommand implements Callable<Integer> {
  @Mixin RunRequest request;

  @Override
  public Integer call() {
    String runId = request.runId;
    return request.send(
        services -> new RunSignals(services).signalRunning(runId, "unpause"), "unpaused " + runId);
  }
}
