package io.tunelab.cli.commands;

import io.temporal.client.WorkflowNotFoundException;
import io.tunelab.cli.UsageException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code tunelab cancel RUN}: ask a run to stop; it writes its report as CANCELED. */
@Command(name = "cancel", mixinStandardHelpOptions = true, description = "Cancels a run.")
public final class CancelCommand implements Callable<Integer> {
  @Mixin RunRequest request;

  @Override
  public Integer call() {
    String runId = request.runId;
    try {
      return request.send(
          services -> services.temporal().newUntypedWorkflowStub(runId).cancel(),
          "cancel requested for " + runId);
    } catch (WorkflowNotFoundException e) {
      throw new UsageException("no running run named '" + runId + "'");
    }
  }
}
