package io.tunelab.sweep;

import java.util.List;

/**
 * A verdict across a sweep's configs (the sweep finding codes of the contract).
 *
 * @param code {@code best-config}, {@code no-clear-winner}, {@code cause-depends-on-setting} or
 *     {@code seed-variance}
 * @param severity {@code info}, {@code warning} or {@code critical}
 * @param configs the configs it is about
 * @param title one line
 * @param evidence the numbers behind it
 * @param recommendation what to do: a flag value to use, more seeds
 */
public record SweepFinding(
    String code,
    String severity,
    List<Integer> configs,
    String title,
    String evidence,
    String recommendation) {
  public static final String BEST_CONFIG = "best-config";
  public static final String NO_CLEAR_WINNER = "no-clear-winner";
  public static final String CAUSE_DEPENDS_ON_SETTING = "cause-depends-on-setting";
  public static final String SEED_VARIANCE = "seed-variance";

  public SweepFinding {
    configs = List.copyOf(configs);
  }
}
