package io.tunelab.workflows.model;

/**
 * How a sweep goes on with a member: start its experiment (new, or continuing from what an earlier
 * workflow of it left in the bucket), or nothing, because it has already ended.
 *
 * @param experiment the experiment to start, or {@code null} when the member has ended
 * @param ended the member's end status when it has ended, else {@code null}
 */
public record MemberStart(ExperimentSpec experiment, RunStatus ended) {
  public MemberStart {
    if ((experiment == null) == (ended == null)) {
      throw new IllegalArgumentException("a member start is an experiment or an end status");
    }
  }

  /** Whether the member still has to run. */
  public boolean starts() {
    return experiment != null;
  }
}
