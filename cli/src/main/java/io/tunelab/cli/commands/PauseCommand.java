package io.tunelab.cli.commands;

import io.tunelab.cli.RunSignals;
import io.tunelab.cli.Services;
import io.tunelab.cli.options.ConnectionOptions;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tunelab pause RUN}: no arm starts another epoch until {@code tunelab unpause RUN}. */
@Command(name = "pause", mixinStandardHelpOptions = true,
    description = "Pauses a run: epochs in flight finish, no new epoch starts until 'tunelab unpause'.")
public final class PauseCommand implements Callable<Integer> {
  @Mixin ConnectionOptions connection;
  @Spec CommandSpec spec;

  @Parameters(paramLabel = "RUN", description = "Run id.")
  String runId;

  @Override
  public Integer call() {
    try (Services services = new Services(connection)) {
      RunSignals signals = new RunSignals(services);
      signals.requireRunning(runId);
      signals.signal(runId, "pause");
      spec.commandLine().getOut().println("pause requested for " + runId
          + ": epochs in flight finish, no new one starts until 'tunelab unpause " + runId + "'");
      spec.commandLine().getOut().flush();
      return 0;
    }
  }
}
