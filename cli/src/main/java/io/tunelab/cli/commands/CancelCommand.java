package io.tunelab.cli.commands;

import io.temporal.client.WorkflowNotFoundException;
import io.tunelab.cli.Services;
import io.tunelab.cli.UsageException;
import io.tunelab.cli.options.ConnectionOptions;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tunelab cancel RUN}: ask a run to stop; it writes its report as CANCELED. */
@Command(name = "cancel", mixinStandardHelpOptions = true, description = "Cancels a run.")
public final class CancelCommand implements Callable<Integer> {
  @Mixin ConnectionOptions connection;
  @Spec CommandSpec spec;

  @Parameters(paramLabel = "RUN", description = "Run id.")
  String runId;

  @Override
  public Integer call() {
    try (Services services = new Services(connection)) {
      services.temporal().newUntypedWorkflowStub(runId).cancel();
      spec.commandLine().getOut().println("cancel requested for " + runId);
      return 0;
    } catch (WorkflowNotFoundException e) {
      throw new UsageException("no running run named '" + runId + "'");
    }
  }
}
