package io.tunelab.sweep;

import io.tunelab.workflows.model.RunStatus;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.apache.commons.math3.util.CombinatoricsUtils;

/**
 * How a run finding splits the finished runs of a sweep grouped by a setting (the values of one
 * flag, or the configs themselves): clean when the code is in every finished run of some groups and
 * in none of the others.
 *
 * @param present the groups whose finished runs all have the code
 * @param absent the groups whose finished runs have none
 * @param presentRuns finished runs in the present groups
 * @param absentRuns finished runs in the absent groups
 * @param chance the probability that a code unrelated to the setting, found in as many runs, would
 *     fall on exactly the runs of some groups (NaN when there are too many groups to count)
 * @param configsPerGroup how many configs with finished runs each non-empty group has, in order
 * @param presentGroups which of those groups are present, in the same order
 */
record FindingSplit(
    List<String> present,
    List<String> absent,
    int presentRuns,
    int absentRuns,
    double chance,
    List<Integer> configsPerGroup,
    List<Boolean> presentGroups) {

  /**
   * The clean split of {@code code} over the groups, or {@code null} when it is not clean (a group
   * with the code in some runs only, no group with it, or no group without it) or when the present
   * and absent groups never meet in a slice (the same values of the other flags), so that another
   * flag could be the cause.
   *
   * @param groups group name to its configs, in display order
   * @param slice a config's values of the other flags
   */
  static FindingSplit of(
      String code, Map<String, List<ConfigResult>> groups, Function<ConfigResult, String> slice) {
    List<String> present = new ArrayList<>();
    List<String> absent = new ArrayList<>();
    Set<String> presentSlices = new HashSet<>();
    Set<String> absentSlices = new HashSet<>();
    List<Integer> configsPerGroup = new ArrayList<>();
    List<Integer> runsPerGroup = new ArrayList<>();
    List<Boolean> presentGroups = new ArrayList<>();
    int presentRuns = 0;
    int absentRuns = 0;
    for (Map.Entry<String, List<ConfigResult>> group : groups.entrySet()) {
      int runs = 0;
      int with = 0;
      int configs = 0;
      boolean completed = false;
      Set<String> slices = new HashSet<>();
      for (ConfigResult c : group.getValue()) {
        List<MemberRun> finished = c.runs().stream().filter(MemberRun::finished).toList();
        if (!finished.isEmpty()) {
          configs++;
          slices.add(slice.apply(c));
        }
        runs += finished.size();
        with += (int) finished.stream().filter(r -> r.has(code)).count();
        completed |= finished.stream().anyMatch(r -> r.status() == RunStatus.COMPLETED);
      }
      if (runs == 0) {
        continue;
      }
      if (with != 0 && with != runs) {
        return null;
      }
      if (with == 0 && !completed) {
        continue; // runs that all failed without the code say nothing of it (no fit to judge)
      }
      boolean has = with == runs;
      (has ? present : absent).add(group.getKey());
      (has ? presentSlices : absentSlices).addAll(slices);
      configsPerGroup.add(configs);
      runsPerGroup.add(runs);
      presentGroups.add(has);
      if (has) {
        presentRuns += runs;
      } else {
        absentRuns += runs;
      }
    }
    presentSlices.retainAll(absentSlices);
    if (present.isEmpty() || absent.isEmpty() || presentSlices.isEmpty()) {
      return null;
    }
    return new FindingSplit(
        present,
        absent,
        presentRuns,
        absentRuns,
        chance(runsPerGroup.stream().mapToInt(Integer::intValue).toArray(), presentRuns),
        configsPerGroup,
        presentGroups);
  }

  /** The chance of a split as clean with {@code seeds} finished runs per config. */
  double chanceWithSeeds(int seeds) {
    int[] runs = configsPerGroup.stream().mapToInt(c -> c * seeds).toArray();
    int k = 0;
    for (int i = 0; i < runs.length; i++) {
      k += presentGroups.get(i) ? runs[i] : 0;
    }
    return chance(runs, k);
  }

  /**
   * Under the hypothesis that the code has nothing to do with the setting, every set of {@code k}
   * of the N finished runs is equally likely to carry it; the chance is the share of those sets
   * that are exactly the runs of some groups.
   */
  static double chance(int[] runsPerGroup, int k) {
    int groups = runsPerGroup.length;
    if (groups > 16) {
      return Double.NaN;
    }
    int total = 0;
    for (int r : runsPerGroup) {
      total += r;
    }
    long clean = 0;
    for (int mask = 1; mask < (1 << groups) - 1; mask++) {
      int sum = 0;
      for (int g = 0; g < groups; g++) {
        sum += (mask & (1 << g)) != 0 ? runsPerGroup[g] : 0;
      }
      clean += sum == k ? 1 : 0;
    }
    return Math.min(1.0, clean / CombinatoricsUtils.binomialCoefficientDouble(total, k));
  }

  /** Groups of configs by the value of {@code flag}, in the order of {@code values}. */
  static Map<String, List<ConfigResult>> byValue(
      String flag, List<String> values, List<ConfigResult> configs) {
    Map<String, List<ConfigResult>> groups = new LinkedHashMap<>();
    for (String v : values) {
      groups.put(v, configs.stream().filter(c -> v.equals(c.values().get(flag))).toList());
    }
    return groups;
  }
}
