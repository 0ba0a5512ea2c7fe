package io.tunelab.workflows;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import io.tunelab.workflows.model.SweepProgress;
import io.tunelab.workflows.model.SweepSpec;
import io.tunelab.workflows.model.SweepState;

/**
 * A sweep: one experiment per config and seed, each a child workflow that is a normal run, at most
 * {@code maxParallel} at a time, then the comparative report. Its signals have the names of a run's
 * ({@code pause}, {@code unpause}) and reach the members in flight.
 */
@WorkflowInterface
public interface SweepWorkflow {
  /**
   * Runs the sweep's members not yet started ({@code progress}: those an earlier run of this
   * workflow started and saw end) and writes the report.
   */
  @WorkflowMethod
  SweepState run(SweepSpec spec, SweepProgress progress);

  /** The sweep's state now: every member's status, and the verdict once written. */
  @QueryMethod
  SweepState state();

  /** Starts no new member, and pauses those in flight, until {@link #unpause()}. */
  @SignalMethod
  void pause();

  /** Lets a paused sweep and its members in flight go on. */
  @SignalMethod
  void unpause();
}
