package io.tunelab.workflows.model;

import java.util.List;

/**
 * What a sweep's workflow knows of it, returned by its query.
 *
 * @param sweepId the sweep
 * @param status {@code RUNNING}, then {@code COMPLETED}, {@code FAILED} or {@code CANCELED}
 * @param phase what the sweep is doing, in words
 * @param paused whether it starts no new member until unpaused
 * @param members every member with its status ({@code PENDING} before it starts)
 * @param outcome the report's verdict in brief, once written
 * @param error why the sweep failed
 */
public record SweepState(
    String sweepId,
    RunStatus status,
    String phase,
    boolean paused,
    List<Member> members,
    SweepOutcome outcome,
    String error) {
  public SweepState {
    members = members == null ? List.of() : List.copyOf(members);
  }

  /**
   * A member and its status.
   *
   * @param runId the member's run id
   * @param config its config's number
   * @param seed its seed
   * @param status its status
   */
  public record Member(String runId, int config, long seed, RunStatus status) {}

  /** How many members have this status. */
  public long count(RunStatus s) {
    return members.stream().filter(m -> m.status() == s).count();
  }
}
