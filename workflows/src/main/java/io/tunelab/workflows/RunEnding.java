package io.tunelab.workflows;

import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.Workflow;
import io.tunelab.workflows.activities.ReportActivities;
import io.tunelab.workflows.model.Phase;
import io.tunelab.workflows.model.RunState;
import io.tunelab.workflows.model.RunStatus;
import java.util.function.Function;
import org.slf4j.Logger;

/**
 * How a run of a workflow ends: completed, failed or canceled, every run writes its report and
 * tells the bookkeeping that it finished. A run that did not complete writes its report in a
 * detached scope, so that the report survives the run's cancellation, and then ends with the
 * failure its client sees. Plain workflow code: the commands are those of the report activities.
 */
final class RunEnding {
  private final RunTracker run;
  private final Function<String, ReportActivities> reports;
  private final Logger log;
  private final String noun;

  /**
   * The ending of {@code run}, reported through {@code reports} (the report activities with a
   * call's summary); {@code noun} names the run in the log line of a run that did not complete
   * ({@code run}, {@code pretrain}).
   */
  RunEnding(RunTracker run, Function<String, ReportActivities> reports, Logger log, String noun) {
    this.run = run;
    this.reports = reports;
    this.log = log;
    this.noun = noun;
  }

  /**
   * Does the run's work, then completes it: writes its report, finishes it and returns its final
   * state. A cancellation or failure of the work or of the report ends the run CANCELED or FAILED,
   * reported all the same, and is thrown on as the workflow's result.
   */
  RunState after(Runnable work) {
    try {
      work.run();
      run.status = RunStatus.COMPLETED;
      run.phase = Phase.WRITING_REPORT.words();
      report(run.status);
      run.phase = Phase.DONE.words();
      return run.snapshot();
    } catch (CanceledFailure canceled) {
      finish(RunStatus.CANCELED, "canceled");
      throw canceled;
    } catch (ActivityFailure failure) {
      if (canceledDuring(failure)) {
        finish(RunStatus.CANCELED, "canceled");
        throw new CanceledFailure("run canceled");
      }
      finish(RunStatus.FAILED, Failures.message(failure));
      String type = Failures.type(failure);
      throw ApplicationFailure.newNonRetryableFailure(
          Failures.message(failure), type == null ? "RunFailed" : type);
    } catch (ApplicationFailure failure) {
      finish(RunStatus.FAILED, failure.getOriginalMessage());
      throw failure;
    }
  }

  /** Writes the report of a run that did not complete; survives the run's cancellation. */
  private void finish(RunStatus status, String error) {
    run.status = status;
    run.error = error;
    run.phase = Phase.ended(status);
    log.warn("{} {} ended {}: {}", noun, run.runId(), status, error);
    Workflow.newDetachedCancellationScope(
            () -> {
              report(status);
            })
        .run();
  }

  /** Writes the run's report and records its end. */
  private void report(RunStatus status) {
    run.reportKey = reports.apply("write the report of " + run.runId()).writeReport(run.snapshot());
    reports.apply("record " + run.runId() + " as " + status.wire()).finishRun(run.runId(), status);
  }

  /**
   * Whether an activity failed because the run was canceled while it ran (an epoch in flight): the
   * run then ends CANCELED, not FAILED. Runs recorded before this check replay as they ran.
   */
  private static boolean canceledDuring(ActivityFailure failure) {
    boolean canceled =
        failure.getCause() instanceof CanceledFailure
            || CancellationScope.current().isCancelRequested();
    return canceled
        && Workflow.getVersion("canceled-during-activity", Workflow.DEFAULT_VERSION, 1) >= 1;
  }
}
