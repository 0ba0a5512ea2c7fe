package io.tunelab.sweep;

import java.util.ArrayList;
import java.util.List;

/**
 * The verdict across a sweep's configs: the sweep finding codes of the contract, in a fixed order
 * ({@code best-config}, {@code no-clear-winner}, {@code cause-depends-on-setting}, {@code
 * seed-variance}).
 */
public final class SweepDiagnosis {
  private final List<SweepRule> rules =
      List.of(
          new BestConfigRule(),
          new NoClearWinnerRule(),
          new SettingCauseRule(),
          new SeedVarianceRule());

  /** The findings of a sweep as it stands. */
  public List<SweepFinding> diagnose(SweepAnalysis sweep) {
    List<SweepFinding> findings = new ArrayList<>();
    for (SweepRule rule : rules) {
      findings.addAll(rule.apply(sweep));
    }
    return findings;
  }
}
