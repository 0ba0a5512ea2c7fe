package io.tunelab.workflows;

import io.temporal.workflow.Workflow;
import java.util.HashSet;
import java.util.Set;

/**
 * What the user asked a running workflow to do through its signals: stop an arm (or all of them) at
 * the next epoch boundary, pause before the next epoch, go on. Requests that arrive before an arm's
 * loop exists (during ingest, say) are kept and apply when it starts. Plain workflow state: signals
 * change it, the arm loops read it; no commands of its own.
 */
final class RunControl {
  /** The arm name of {@code stopArm} that stops every arm of the run. */
  static final String ALL_ARMS = "all";

  private final Set<String> stops = new HashSet<>();
  private boolean stopAll;
  private boolean paused;

  void requestStop(String arm) {
    if (arm == null || ALL_ARMS.equals(arm)) {
      stopAll = true;
    } else {
      stops.add(arm);
    }
  }

  boolean stopRequested(String arm) {
    return stopAll || stops.contains(arm);
  }

  void pause() {
    paused = true;
  }

  void unpause() {
    paused = false;
  }

  boolean paused() {
    return paused;
  }

  /**
   * Blocks an arm at its epoch boundary while the run is paused; a stop request for the arm (or a
   * cancellation of the run) ends the wait. Returns at once, with no command, when the run is not
   * paused.
   */
  void awaitUnpaused(String arm) {
    Workflow.await(() -> !paused || stopRequested(arm));
  }

  /** The phase shown by the state query: the run's phase, marked while the run is paused. */
  String phase(String runId, String phase) {
    return paused
        ? "PAUSED: no new epoch starts until 'tunelab unpause "
            + runId
            + "' (epochs in flight finish); "
            + phase
        : phase;
  }
}
