package io.tunelab.cli.commands;

import io.tunelab.cli.Services;
import io.tunelab.cli.options.ConnectionOptions;
import java.io.PrintWriter;
import java.util.function.Consumer;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * A request to a run, the mixin of {@code pause}, {@code unpause}, {@code stop} and {@code cancel}:
 * the run ({@code RUN}) and how to reach it. Each of these verbs connects, asks the run for
 * something, and says on stdout what it asked.
 */
final class RunRequest {
  @Mixin ConnectionOptions connection;

  @Spec(Spec.Target.MIXEE)
  CommandSpec spec;

  @Parameters(paramLabel = "RUN", description = "Run id.")
  String runId;

  /**
   * Connects, sends the request, prints {@code asked} on the command's stdout and returns the exit
   * code 0; a request that fails throws, printing nothing.
   */
  int send(Consumer<Services> request, String asked) {
    try (Services services = new Services(connection)) {
      request.accept(services);
      PrintWriter out = spec.commandLine().getOut();
      out.println(asked);
      out.flush();
      return 0;
    }
  }
}
