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

/**
 * {@code tunelab unpause RUN}: a paused run goes on. (Not {@code resume}: that verb continues
 * a run whose workflow was lost.)
 */
@Command(name = "unpause", mixinStandardHelpOptions = true,
    description = "Lets a paused run go on (see 'tunelab pause'; 'tunelab resume' is for lost runs).")
public final class UnpauseCommand implements Callable<Integer> {
  @Mixin ConnectionOptions connection;
  @Spec CommandSpec spec;

  @Parameters(paramLabel = "RUN", description = "Run id.")
  String runId;

  @Override
  public Integer call() {
    try (Services services = new Services(connection)) {
      RunSignals signals = new RunSignals(services);
      signals.requireRunning(runId);
      signals.signal(runId, "unpause");
      spec.commandLine().getOut().println("unpaused " + runId);
      spec.commandLine().getOut().flush();
      return 0;
    }
  }
}
