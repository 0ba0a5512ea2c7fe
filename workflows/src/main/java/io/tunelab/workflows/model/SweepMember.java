package io.tunelab.workflows.model;

/**
 * One run of a sweep: a config at a seed. Its run id is the sweep's id, the config and the seed
 * ({@code ID-c2-s43}), so a retried start names the same run.
 *
 * @param runId the member's run id, also its workflow id
 * @param config the config's number, from 1
 * @param seed the run's seed
 */
public record SweepMember(String runId, int config, long seed) {
  public SweepMember {
    RunIds.requireValid(runId);
    if (config < 1) {
      throw new IllegalArgumentException("config must be >= 1: " + config);
    }
  }

  /** The member of {@code sweepId} for a config and a seed. */
  public static SweepMember of(String sweepId, int config, long seed) {
    return new SweepMember(sweepId + "-c" + config + "-s" + seed, config, seed);
  }
}
