package io.tunelab.workflows.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A sweep: one experiment per config and seed, each a normal run. It holds no credentials, and the
 * configs carry parameters only, not data.
 *
 * @param sweepId the sweep's id, also its workflow id and its members' id prefix
 * @param base the experiment every member starts from (its run id is the sweep's id; the source,
 *     classes, pretrained model, arms and probes are shared; each config replaces the arms'
 *     parameters)
 * @param vary varied flag to its values, in the order given
 * @param configs the configs, numbered from 1: the cartesian product of the varied values
 * @param seeds the seeds each config runs with
 * @param maxParallel at most this many members run at once
 * @param membersPerHistory the workflow continues as new after starting this many members (once
 *     those in flight have ended), so its history stays small; 0 means {@link
 *     #DEFAULT_MEMBERS_PER_HISTORY}
 */
public record SweepSpec(
    String sweepId,
    ExperimentSpec base,
    Map<String, List<String>> vary,
    List<SweepConfig> configs,
    List<Long> seeds,
    int maxParallel,
    int membersPerHistory) {

  /** Members started per workflow run before it continues as new. */
  public static final int DEFAULT_MEMBERS_PER_HISTORY = 50;

  public SweepSpec {
    RunIds.requireValid(sweepId);
    if (base == null) {
      throw new IllegalArgumentException("base experiment must not be null");
    }
    Map<String, List<String>> copy = new LinkedHashMap<>();
    if (vary != null) {
      vary.forEach((flag, values) -> copy.put(flag, List.copyOf(values)));
    }
    vary = Collections.unmodifiableMap(copy);
    configs = configs == null ? List.of() : List.copyOf(configs);
    seeds = seeds == null ? List.of() : List.copyOf(seeds);
    if (configs.isEmpty()) {
      throw new IllegalArgumentException("a sweep needs at least one config");
    }
    for (int i = 0; i < configs.size(); i++) {
      if (configs.get(i).config() != i + 1) {
        throw new IllegalArgumentException(
            "configs must be numbered 1.." + configs.size() + ": " + configs.get(i).config());
      }
    }
    if (seeds.isEmpty()) {
      throw new IllegalArgumentException("seeds must not be empty");
    }
    if (maxParallel < 1) {
      throw new IllegalArgumentException("max parallel must be > 0: " + maxParallel);
    }
    if (membersPerHistory < 0) {
      throw new IllegalArgumentException("members per history must be >= 0: " + membersPerHistory);
    }
    if (membersPerHistory == 0) {
      membersPerHistory = DEFAULT_MEMBERS_PER_HISTORY;
    }
    // The longest member id must still be a valid run id.
    SweepMember.of(sweepId, configs.size(), seeds.get(seeds.size() - 1));
  }

  /**
   * The members in the order they start: every config at the first seed, then every config at the
   * second, so that early results cover all configs.
   */
  public List<SweepMember> members() {
    List<SweepMember> members = new ArrayList<>();
    for (long seed : seeds) {
      for (SweepConfig config : configs) {
        members.add(SweepMember.of(sweepId, config.config(), seed));
      }
    }
    return members;
  }

  /** The config numbered {@code number}. */
  public SweepConfig config(int number) {
    return configs.get(number - 1);
  }

  /** The experiment a member runs: the base with its config's parameters, its seed and its id. */
  public ExperimentSpec experiment(SweepMember member) {
    SweepConfig config = config(member.config());
    return base.toBuilder()
        .runId(member.runId())
        .finetune(config.finetune().toBuilder().seed(member.seed()).build())
        .scratchLearningRate(config.scratchLearningRate())
        .resume(null)
        .build();
  }
}
