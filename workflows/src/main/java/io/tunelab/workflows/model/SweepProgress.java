package io.tunelab.workflows.model;

import java.util.List;

/**
 * What a sweep's workflow carries into its next run when it continues as new: the end status of
 * every member started so far, in start order (all of them have ended: the workflow continues only
 * when none is in flight).
 *
 * @param ended the end status of each member started before, in {@link SweepSpec#members()} order
 * @param paused whether the sweep was paused
 */
public record SweepProgress(List<RunStatus> ended, boolean paused) {
  public SweepProgress {
    ended = ended == null ? List.of() : List.copyOf(ended);
  }

  /** A sweep that has started no member. */
  public static SweepProgress none() {
    return new SweepProgress(List.of(), false);
  }
}
