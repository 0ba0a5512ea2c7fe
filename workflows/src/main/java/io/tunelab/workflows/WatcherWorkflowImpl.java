package io.tunelab.workflows;

import io.temporal.failure.ActivityFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.workflow.ContinueAsNewOptions;
import io.temporal.workflow.Workflow;
import io.tunelab.workflows.activities.WatchActivities;
import io.tunelab.workflows.model.DatasetVersion;
import io.tunelab.workflows.model.RunStart;
import io.tunelab.workflows.model.WatchProgress;
import io.tunelab.workflows.model.WatchSpec;
import io.tunelab.workflows.model.WatchState;
import io.tunelab.workflows.model.WatchedRun;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;

/**
 * The watcher's loop: look for new versions, start their runs, sleep, and every so many looks
 * continue as new. Which versions were handled lives in the bucket (the activities mark each one),
 * not in this workflow, so the state carried over is a few counters and the history of one
 * execution is bounded by {@code continueAsNewEvery} looks.
 */
public class WatcherWorkflowImpl implements WatcherWorkflow {
  private static final Logger log = Workflow.getLogger(WatcherWorkflowImpl.class);

  private WatchSpec spec;
  private boolean stopRequested;
  private int looks;
  private int runsStarted;
  private int executions;
  private String lastRunId;

  @Override
  public void watch(WatchSpec initial, WatchProgress progress) {
    if (spec == null) {
      spec = initial;
    }
    WatchProgress carried = progress == null ? WatchProgress.first() : progress;
    runsStarted = carried.runsStarted();
    executions = carried.executions();
    lastRunId = carried.lastRunId();
    String taskQueue = Workflow.getInfo().getTaskQueue();
    // Runs carry the search attributes where the watcher does: the namespace has them.
    boolean searchAttributes = Workflow.getTypedSearchAttributes().containsKey(Visibility.KIND);
    Workflow.setCurrentDetails(details());
    while (!stopRequested) {
      // A look that fails (the bucket unreachable for a while) or a version that cannot be
      // started is logged and tried again at the next look: the watcher itself never fails,
      // and one bad version holds up no other.
      for (DatasetVersion version : lookForNewVersions()) {
        try {
          RunStart start =
              watch("start the run of version " + version.name())
                  .startRun(new WatchedRun(spec, version, taskQueue, searchAttributes));
          log.info("dataset {} version {}: {}", spec.datasetName(), version.name(), start.note());
          if (start.started()) {
            runsStarted++;
            lastRunId = start.runId();
          }
        } catch (ActivityFailure failure) {
          rethrowCancellation(failure);
          log.warn(
              "dataset {} version {} could not be started, trying again at the next look:" + " {}",
              spec.datasetName(),
              version.name(),
              Failures.message(failure));
        }
      }
      looks++;
      Workflow.setCurrentDetails(details());
      if (stopRequested) {
        break;
      }
      if (looks >= spec.continueAsNewEvery() || Workflow.getInfo().isContinueAsNewSuggested()) {
        // Signals that arrived so far are in `spec` and `stopRequested`; carry them over.
        WatcherWorkflow next =
            Workflow.newContinueAsNewStub(WatcherWorkflow.class, continued(searchAttributes));
        next.watch(spec, new WatchProgress(runsStarted, executions + 1, lastRunId));
        return;
      }
      Workflow.await(Duration.ofMillis(spec.pollMillis()), () -> stopRequested);
    }
    log.info("watcher of {} stopped after {} runs", spec.datasetName(), runsStarted);
  }

  /**
   * The next execution keeps what Temporal's UI shows of the watcher, for its settings as they are
   * now: its memo, and its search attributes where it has them (a summary is not carried over; the
   * current details say what the watcher did).
   */
  private ContinueAsNewOptions continued(boolean searchAttributes) {
    ContinueAsNewOptions.Builder b =
        ContinueAsNewOptions.newBuilder().setMemo(Visibility.memo(spec));
    if (searchAttributes) {
      b.setTypedSearchAttributes(Visibility.atStart(spec));
    }
    return b.build();
  }

  /** The current details Temporal's UI shows: the watcher's settings and what it has done. */
  private String details() {
    return Visibility.summary(spec)
        + "\n"
        + runsStarted
        + (runsStarted == 1 ? " run" : " runs")
        + " started"
        + (lastRunId == null ? "" : ", the last " + lastRunId);
  }

  private List<DatasetVersion> lookForNewVersions() {
    try {
      return watch("look for new versions of dataset " + spec.datasetName())
          .newVersions(spec.datasetName());
    } catch (ActivityFailure failure) {
      rethrowCancellation(failure);
      log.warn(
          "looking at dataset {} failed, trying again at the next look: {}",
          spec.datasetName(),
          Failures.message(failure));
      return List.of();
    }
  }

  /** The watch activities, with the summary Temporal's UI shows for the call. */
  private static WatchActivities watch(String summary) {
    return ActivityStubs.summarized(WatchActivities.class, ActivityStubs.io(), summary);
  }

  private static void rethrowCancellation(ActivityFailure failure) {
    if (failure.getCause() instanceof CanceledFailure) {
      throw failure;
    }
  }

  @Override
  public void update(WatchSpec newSpec) {
    if (spec != null && !spec.datasetName().equals(newSpec.datasetName())) {
      log.warn("ignoring settings for another dataset: {}", newSpec.datasetName());
      return;
    }
    spec = newSpec;
    Workflow.setCurrentDetails(details());
  }

  @Override
  public void stop() {
    stopRequested = true;
  }

  @Override
  public WatchState state() {
    return new WatchState(
        spec, stopRequested ? "STOPPING" : "WATCHING", looks, runsStarted, executions, lastRunId);
  }
}
