package io.tunelab.sweep;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Run finding codes that split a sweep's finished runs cleanly by a setting: in every finished run
 * at some values of a varied flag and in none at its other values. With several flags the two sides
 * must share a setting of the other flags (see {@link FindingSplit}), so another flag cannot
 * explain the split; a code that no single flag explains but that splits the configs cleanly is put
 * down to the combination of settings ({@code flag} null, the groups are config numbers). Codes
 * with the same split are one cause. {@code healthy} is never a cause.
 *
 * @param flag the varied flag, or {@code null} for a split by config
 * @param codes the run finding codes, in the order they were first seen
 * @param split how they split the finished runs
 */
record SettingCause(String flag, List<String> codes, FindingSplit split) {

  /** Every cause in a sweep: first by flag, in the order the flags were varied, then by config. */
  static List<SettingCause> find(SweepAnalysis sweep) {
    Set<String> codes = new LinkedHashSet<>();
    for (ConfigResult c : sweep.configs()) {
      c.runs().stream().filter(MemberRun::finished).forEach(r -> codes.addAll(r.codes()));
    }
    codes.remove(RunFinding.HEALTHY);
    // A code in every run of a sweep may still split it by severity: lr-too-high a warning at a
    // modest rate, critical (diverged, failed) at a high one.
    for (ConfigResult c : sweep.configs()) {
      c.runs().stream().filter(MemberRun::finished).forEach(r -> codes.addAll(r.criticalCodes()));
    }
    Map<String, SettingCause> causes = new LinkedHashMap<>();
    Set<String> explained = new LinkedHashSet<>();
    for (Map.Entry<String, List<String>> flag : sweep.vary().entrySet()) {
      if (flag.getValue().size() < 2) {
        continue;
      }
      Map<String, List<ConfigResult>> byValue =
          FindingSplit.byValue(flag.getKey(), flag.getValue(), sweep.configs());
      Set<String> splitHere = new LinkedHashSet<>();
      for (String code : codes) {
        if (splitHere.contains(MemberRun.baseCode(code))) {
          continue; // the code itself splits by this flag: its severity adds nothing
        }
        FindingSplit split = FindingSplit.of(code, byValue, c -> others(c, flag.getKey()));
        if (split != null) {
          add(causes, flag.getKey(), code, split);
          explained.add(code);
          splitHere.add(code);
        }
      }
    }
    if (sweep.vary().size() >= 2) {
      Map<String, List<ConfigResult>> byConfig = new LinkedHashMap<>();
      sweep.configs().forEach(c -> byConfig.put(Integer.toString(c.config()), List.of(c)));
      for (String code : codes) {
        FindingSplit split =
            explained.contains(MemberRun.baseCode(code))
                ? null
                : FindingSplit.of(code, byConfig, c -> "");
        if (split != null) {
          add(causes, null, code, split);
        }
      }
    }
    return List.copyOf(causes.values());
  }

  /**
   * The configs on one side of the split: those with finished runs whose value of the flag (or
   * whose number, for a split by config) is among {@code groups}.
   */
  List<ConfigResult> configs(SweepAnalysis sweep, List<String> groups) {
    return sweep.configs().stream()
        .filter(c -> c.runs().stream().anyMatch(MemberRun::finished))
        .filter(
            c ->
                groups.contains(flag == null ? Integer.toString(c.config()) : c.values().get(flag)))
        .toList();
  }

  private static void add(
      Map<String, SettingCause> causes, String flag, String code, FindingSplit split) {
    String key = flag + "|" + split.present() + "|" + split.absent();
    causes
        .computeIfAbsent(key, k -> new SettingCause(flag, new ArrayList<>(), split))
        .codes()
        .add(code);
  }

  /** A config's values of every flag but {@code flag}: the slice it belongs to. */
  private static String others(ConfigResult c, String flag) {
    return c.values().entrySet().stream()
        .filter(e -> !e.getKey().equals(flag))
        .map(e -> e.getKey() + "=" + e.getValue())
        .collect(Collectors.joining(" "));
  }
}
