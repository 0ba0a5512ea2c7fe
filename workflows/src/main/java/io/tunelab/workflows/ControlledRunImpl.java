package io.tunelab.workflows;

import io.temporal.workflow.Workflow;
import io.tunelab.workflows.model.ArmSpec;
import io.tunelab.workflows.model.IngestRequest;
import io.tunelab.workflows.model.Phase;
import io.tunelab.workflows.model.RunState;
import org.slf4j.Logger;

/**
 * Answers a run's query and signals from its {@link RunTracker} and {@link RunControl}: the
 * workflow sets {@link #run} when it starts, and its arm loops read {@link #control}.
 */
abstract class ControlledRunImpl implements ControlledRun {
  final Logger log = Workflow.getLogger(getClass());
  final RunActivities activities = new RunActivities();
  final RunControl control = new RunControl();
  RunTracker run;

  /**
   * Tracks the run from now on (the state query answers from it) and does its work, ending the run
   * as {@link RunEnding} does.
   */
  RunState track(RunTracker tracker, String noun, Runnable work) {
    run = tracker;
    return new RunEnding(run, activities::reports, log, noun).after(work);
  }

  /** Ingests the run's data; the phase says so while it runs. */
  void ingest(IngestRequest request) {
    run.phase = Phase.INGESTING.of(request.source());
    run.dataset = activities.datasets("ingest " + request.source()).ingest(request);
  }

  /** The loop that trains an arm epoch by epoch, keeping the run's state and the UI current. */
  ArmLoop armLoop(ArmSpec arm, VisibilityUpdates visibility) {
    return new ArmLoop(
        activities::training,
        control,
        arm,
        run.dataset,
        result -> {
          run.arm(result);
          visibility.armUpdated(result, arm.params().epochs());
        });
  }

  @Override
  public RunState state() {
    return run == null ? null : run.snapshot(control);
  }

  @Override
  public void stopArm(String arm) {
    control.requestStop(arm);
  }

  @Override
  public void pause() {
    control.pause();
  }

  @Override
  public void unpause() {
    control.unpause();
  }
}
