package io.tunelab.workflows;

import io.tunelab.workflows.model.RunState;

/**
 * Answers a run's query and signals from its {@link RunTracker} and {@link RunControl}: the
 * workflow sets {@link #run} when it starts, and its arm loops read {@link #control}.
 */
abstract class ControlledRunImpl implements ControlledRun {
  final RunControl control = new RunControl();
  RunTracker run;

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
