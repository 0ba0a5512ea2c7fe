package io.tunelab.workflows;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.tunelab.workflows.model.RunState;

/**
 * The query and signals every training run answers, whatever trains in it: its state, stopping an
 * arm, pausing and going on. Their names are the method names, as the CLI sends them.
 */
public interface ControlledRun {
  /** The run's state now: phase, epochs so far, results once known. */
  @QueryMethod
  RunState state();

  /**
   * Ends an arm (by name, or {@code all} for every arm) at its next epoch boundary, keeping its
   * best checkpoint; the arm's result says {@code stoppedEarly} and its notes say why. An arm stops
   * only once it has finished an epoch. A request that arrives before training starts applies when
   * it does.
   */
  @SignalMethod
  void stopArm(String arm);

  /**
   * Pauses the run: epochs in flight finish, no arm starts another until {@link #unpause()}. The
   * state query's phase starts with {@code PAUSED} meanwhile.
   */
  @SignalMethod
  void pause();

  /** Lets a paused run go on. */
  @SignalMethod
  void unpause();
}
