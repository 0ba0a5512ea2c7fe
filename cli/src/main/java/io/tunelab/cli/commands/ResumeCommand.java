package io.tunelab.cli.commands;

import io.tunelab.cli.Launcher;
import io.tunelab.cli.Services;
import io.tunelab.cli.UsageException;
import io.tunelab.cli.WorkflowStatuses;
import io.tunelab.cli.options.ConnectionOptions;
import io.tunelab.cli.options.WaitOptions;
import io.tunelab.runs.RunRecords;
import io.tunelab.runs.RunRecovery;
import io.tunelab.workflows.model.ExperimentSpec;
import io.tunelab.workflows.model.ResumePoint;
import io.tunelab.workflows.model.RunRecord;
import io.tunelab.workflows.model.RunState;
import io.tunelab.workflows.model.RunStatus;
import io.tunelab.workflows.model.SweepMember;
import io.tunelab.workflows.model.SweepState;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tunelab resume RUN}: continues an experiment whose workflow was lost (the embedded
 * Temporal service restarted, say) from its records and last checkpoints in the bucket.
 */
@Command(
    name = "resume",
    mixinStandardHelpOptions = true,
    description =
        "Continues a run whose workflow was lost, from its last checkpoint in the bucket.")
public final class ResumeCommand implements Callable<Integer> {
  @Mixin ConnectionOptions connection;
  @Spec CommandSpec spec;

  @Parameters(paramLabel = "RUN", description = "Run id.")
  String runId;

  @Mixin WaitOptions wait;

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    try (Services services = new Services(connection)) {
      RunRecord record =
          new RunRecords(services.store())
              .find(runId)
              .orElseThrow(
                  () -> new UsageException("no run named '" + runId + "' (see 'tunelab list')"));
      if (record.sweepSpec() != null) {
        return resumeSweep(record, services);
      }
      if (record.experiment() == null) {
        throw new UsageException(
            "run '"
                + runId
                + "' is a "
                + record.kind()
                + " run; only experiments can be resumed (start the pretraining again)");
      }
      Launcher launcher = new Launcher(services);
      Optional<RunState> live = launcher.query(runId);
      if (live.isPresent() && live.get().status() == RunStatus.RUNNING) {
        throw new UsageException("run '" + runId + "' is still running; nothing to resume");
      }
      if (live.isPresent() && live.get().status() == RunStatus.COMPLETED) {
        throw new UsageException("run '" + runId + "' has completed; nothing to resume");
      }
      Optional<ResumePoint> point =
          new RunRecovery(services.store()).resumePoint(record.experiment());
      ExperimentSpec experiment =
          point.map(p -> record.experiment().resumingFrom(p)).orElse(record.experiment());
      err.println(
          point
              .map(
                  p ->
                      "resuming "
                          + runId
                          + " from "
                          + p.arms().entrySet().stream()
                              .map(e -> e.getKey() + " epoch " + e.getValue().size())
                              .reduce((a, b) -> a + ", " + b)
                              .orElse("the start"))
              .orElse("no epoch of " + runId + " had finished; starting it again from its source"));
      launcher.restartExperiment(experiment);
      return wait.follow(runId, null, services, spec.commandLine());
    }
  }

  /**
   * Starts a sweep's workflow again: members that ended stay as they are, the others start, or
   * continue from their last checkpoints. Refused while the sweep or one of its members still runs.
   */
  private int resumeSweep(RunRecord record, Services services) {
    Launcher launcher = new Launcher(services);
    Optional<SweepState> live = launcher.querySweep(runId);
    if (live.isPresent() && live.get().status() == RunStatus.RUNNING) {
      throw new UsageException("sweep '" + runId + "' is still running; nothing to resume");
    }
    if (record.status() == RunStatus.COMPLETED) {
      throw new UsageException("sweep '" + runId + "' has completed; nothing to resume");
    }
    WorkflowStatuses statuses = new WorkflowStatuses(services);
    RunRecords records = new RunRecords(services.store());
    int ended = 0;
    for (SweepMember m : record.sweepSpec().members()) {
      if (statuses.of(m.runId()).orElse(null) == RunStatus.RUNNING) {
        throw new UsageException(
            "member "
                + m.runId()
                + " of sweep '"
                + runId
                + "' is still running; wait for it or cancel it, then resume the sweep");
      }
      RunStatus recorded = records.find(m.runId()).map(RunRecord::status).orElse(null);
      ended += recorded != null && recorded != RunStatus.RUNNING ? 1 : 0;
    }
    spec.commandLine()
        .getErr()
        .println(
            "resuming sweep "
                + runId
                + ": "
                + ended
                + " of "
                + record.sweepSpec().members().size()
                + " members have ended; the others start or continue from their checkpoints");
    launcher.restartSweep(record.sweepSpec());
    return wait.followSweep(runId, null, services, spec.commandLine());
  }
}
