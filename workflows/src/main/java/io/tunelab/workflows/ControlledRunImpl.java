package io.tunelab.workflows;

import io.tunelab.workflows.activities.ReportActivities;
import io.tunelab.workflows.model.RunState;
import org.slf4j.Logger;

/**
 * Answers a run's query and signals from its {@link RunTracker} and {@link RunControl}: the
 * workflow sets {@link #run} when it starts, and its arm loops read {@link #control}.
 */
abstract class ControlledRunImpl implements ControlledRun {
  final RunControl control = new RunControl();
  RunTracker run;

  /**
   * Tracks the run from now on (the state query answers from it) and does its work, ending the run
   * as {@link RunEnding} does.
   */
  RunState track(
      RunTracker tracker, ReportActivities reports, Logger log, String noun, Runnable work) {
    run = tracker;
    return new RunEnding(run, reports, log, noun).after(work);
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
