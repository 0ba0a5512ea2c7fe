package io.tunelab.cli.options;

import io.tunelab.cli.CliSupport;
import io.tunelab.cli.Launcher;
import io.tunelab.cli.ProgressView;
import io.tunelab.cli.RunFailedException;
import io.tunelab.cli.Services;
import io.tunelab.cli.SweepProgressView;
import io.tunelab.cli.SweepSummary;
import io.tunelab.workflows.model.RunState;
import io.tunelab.workflows.model.RunStatus;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * How a command that starts a run ends: at once with the run id, or with {@code --wait} once the
 * run has ended, with its summary or ({@code --json}) its report.
 */
public final class WaitOptions {
  @Option(names = "--wait", description = "Follow the run to its end and print the summary.")
  public boolean await;

  @Option(
      names = "--json",
      description = "With --wait: print the report JSON on stdout, nothing else.")
  public boolean json;

  /**
   * Ends a command that has just started run {@code runId} and returns its exit code. Without
   * {@code --wait} it prints the run id alone on stdout. With it, it prints {@code started} on
   * stderr (unless {@code null}), shows the run's progress there until the run ends, and prints the
   * result on stdout.
   */
  public int follow(String runId, String started, Services services, CommandLine commandLine) {
    if (!await) {
      commandLine.getOut().println(runId);
      return 0;
    }
    PrintWriter err = commandLine.getErr();
    if (started != null) {
      err.println(started);
    }
    RunState state;
    try {
      state = new Launcher(services).await(runId, new ProgressView(err, System.console() != null));
    } catch (RunFailedException e) {
      // A failed run's report (its findings say why, e.g. lr-too-high) still goes to a script.
      if (json) {
        CliSupport.printStoredReport(runId, services, commandLine.getOut());
      }
      throw e;
    }
    CliSupport.printResult(state, json, services, commandLine.getOut());
    return state.status() == RunStatus.FAILED ? 1 : 0;
  }

  /**
   * Ends a command that has just started sweep {@code sweepId}, as {@link #follow} ends one that
   * started a run: the id alone, or with {@code --wait} the members' progress on stderr and the
   * sweep's summary ({@code --json}: its report) on stdout.
   */
  public int followSweep(
      String sweepId, String started, Services services, CommandLine commandLine) {
    if (!await) {
      commandLine.getOut().println(sweepId);
      return 0;
    }
    PrintWriter err = commandLine.getErr();
    if (started != null) {
      err.println(started);
    }
    try {
      new Launcher(services)
          .awaitSweep(sweepId, new SweepProgressView(err, System.console() != null));
    } finally {
      SweepSummary.print(sweepId, json, services, commandLine.getOut());
    }
    return 0;
  }
}
