package io.tunelab.sweep;

import io.tunelab.workflows.model.RunStatus;
import java.util.Comparator;
import java.util.List;

/**
 * {@code cause-depends-on-setting}: a run finding (other than {@code healthy}) is in every finished
 * run at some values of a varied flag and in none at its others ({@link SettingCause}), e.g. {@code
 * lr-too-high} in all runs at {@code lr=0.001} and in none at {@code lr=0.0001}.
 *
 * <p>A warning when the split is unlikely to be chance: a code unrelated to the setting would split
 * the runs this cleanly with probability at most {@link #STRONG}, or every run on the code's side
 * failed or has it as critical (a divergence is no seed-to-seed accident). Otherwise, with too few
 * runs to tell (one seed of two configs always splits a code found in one of them), it is info,
 * says so, and asks for the seeds that would settle it.
 */
final class SettingCauseRule implements SweepRule {
  /** The chance of an accidental split at or below which the split counts as real. */
  static final double STRONG = 0.1;

  @Override
  public List<SweepFinding> apply(SweepAnalysis sweep) {
    return SettingCause.find(sweep).stream().map(c -> finding(sweep, c)).toList();
  }

  /** Whether a cause is unlikely to be chance. */
  static boolean strong(SweepAnalysis sweep, SettingCause cause) {
    if (cause.split().chance() <= STRONG + 1e-9) {
      return true;
    }
    // A code split by its severity alone counts when the runs on its side failed outright.
    boolean bySeverity = cause.codes().stream().anyMatch(c -> c.endsWith(MemberRun.CRITICAL));
    return cause.configs(sweep, cause.split().present()).stream()
        .flatMap(c -> c.runs().stream().filter(MemberRun::finished))
        .allMatch(
            r -> r.status() == RunStatus.FAILED || (!bySeverity && critical(r, cause.codes())));
  }

  private static boolean critical(MemberRun run, List<String> codes) {
    return run.findings().stream()
        .anyMatch(
            f ->
                codes.stream().map(MemberRun::baseCode).toList().contains(f.code())
                    && "critical".equals(f.severity()));
  }

  private static SweepFinding finding(SweepAnalysis sweep, SettingCause cause) {
    FindingSplit split = cause.split();
    String flag = cause.flag();
    boolean strong = strong(sweep, cause);
    ConfigResult use =
        cause.configs(sweep, split.absent()).stream()
            .max(
                Comparator.comparingDouble(
                    (ConfigResult c) -> c.ranked() ? c.testAcc().mean() : -1))
            .orElseThrow();
    String what = Words.and(cause.codes());
    String because =
        flag == null
            ? "no single flag explains it, the combination of settings does"
            : Words.flag(flag)
                + (strong ? " causes " : " may cause ")
                + Words.and(cause.codes().stream().map(Words::effect).toList());
    String evidence =
        what
            + " in all "
            + split.presentRuns()
            + " finished runs at "
            + side(sweep, cause, split.present())
            + " and in none of the "
            + split.absentRuns()
            + " at "
            + side(sweep, cause, split.absent())
            + ": "
            + because
            + "."
            + (Double.isFinite(split.chance())
                ? " Were it unrelated to the setting, a split this clean would arise by chance with"
                    + " probability "
                    + Fmt.p(split.chance())
                    + "."
                : "");
    String setting = flag == null ? use.flags() : "--" + flag + " " + use.values().get(flag);
    String recommendation =
        "Use "
            + setting
            + (flag == null ? " (config " : " (as in config ")
            + use.config()
            + "): none of its runs shows "
            + Words.or(cause.codes())
            + "."
            + (split.chance() > STRONG + 1e-9
                ? " Confirm with --seeds "
                    + seedsToConfirm(sweep, split)
                    + ": with this few runs the split may be chance."
                : "");
    return new SweepFinding(
        SweepFinding.CAUSE_DEPENDS_ON_SETTING,
        strong ? "warning" : "info",
        cause.configs(sweep, split.present()).stream().map(ConfigResult::config).toList(),
        what + " only at " + side(sweep, cause, split.present()),
        evidence,
        recommendation);
  }

  /** The smallest seed count (up to 10) that makes a split this clean unlikely by chance. */
  private static int seedsToConfirm(SweepAnalysis sweep, FindingSplit split) {
    int now = sweep.seeds().size();
    for (int n = now + 1; n <= 10; n++) {
      if (split.chanceWithSeeds(n) <= STRONG + 1e-9) {
        return n;
      }
    }
    return Math.max(now + 1, 10);
  }

  /** {@code lr=0.001 or lr=0.01}, or the configs' names for a split by config. */
  private static String side(SweepAnalysis sweep, SettingCause cause, List<String> groups) {
    if (cause.flag() != null) {
      return Words.or(groups.stream().map(v -> cause.flag() + "=" + v).toList());
    }
    return Words.or(cause.configs(sweep, groups).stream().map(ConfigResult::name).toList());
  }
}
