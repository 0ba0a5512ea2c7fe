package io.tunelab.diagnosis;

import io.tunelab.workflows.model.Comparison;
import io.tunelab.workflows.model.EpochMetrics;
import io.tunelab.workflows.model.Finding;
import io.tunelab.workflows.model.RunState;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Reads a run's curves, data profile, validation predictions and probes and names what is wrong,
 * with the numbers that show it and what to do. Every rise or swing is judged against the noise the
 * validation set's size implies ({@link NoiseBand}); every rule stays silent when its evidence is
 * missing. Findings come most severe first; {@code healthy} stands alone, or with info findings,
 * when no warning or critical finding applies. Deterministic: the same input gives the same
 * findings.
 *
 * <p>Rule families: {@link LeakageRule}, {@link SmallValidationSetRule}, {@link
 * ClassImbalanceRule}, {@link InsufficientDataRule}, {@link LabelNoiseRule}, {@link
 * LearningRateRule}, {@link UnderfittingRule}, {@link OverfittingRule}, {@link CalibrationRule},
 * {@link FluctuationRule}, {@link DomainShiftRule}, {@link TransferRule}.
 */
public final class Diagnoser {
  private static final List<Rule> RULES =
      List.of(
          new LeakageRule(),
          new SmallValidationSetRule(),
          new InsufficientDataRule(),
          new LabelNoiseRule(),
          // after label-noise: with noisy labels it counts the classes where the flips belong
          new ClassImbalanceRule(),
          new LearningRateRule(),
          new UnderfittingRule(),
          new OverfittingRule(),
          new CalibrationRule(),
          new FluctuationRule(),
          new DomainShiftRule(),
          new TransferRule());

  private static final Map<String, Integer> RANK = Map.of("critical", 0, "warning", 1, "info", 2);

  /** The findings for a run; {@code healthy} when no warning or critical finding applies. */
  public List<Finding> diagnose(DiagnosisInput input) {
    DiagnosisContext context = new DiagnosisContext(input);
    List<Finding> findings = new ArrayList<>();
    for (Rule rule : RULES) {
      rule.apply(context, findings);
    }
    findings.sort(Comparator.comparingInt(f -> RANK.get(f.severity())));
    boolean problem = findings.stream().anyMatch(f -> !"info".equals(f.severity()));
    if (!problem) {
      findings.add(0, healthy(context));
    }
    return List.copyOf(findings);
  }

  /** The findings from the run's state alone. */
  public List<Finding> diagnose(RunState state) {
    return diagnose(DiagnosisInput.of(state));
  }

  private static Finding healthy(DiagnosisContext context) {
    List<String> parts = new ArrayList<>();
    String keep = null;
    for (ArmView arm : context.arms) {
      EpochMetrics best = arm.minValLoss();
      List<EpochMetrics> trained = arm.trained();
      if (best == null || trained.isEmpty()) {
        continue;
      }
      parts.add(
          arm.name()
              + ": val loss lowest at epoch "
              + best.epoch()
              + " of "
              + trained.get(trained.size() - 1).epoch()
              + " ("
              + Fmt.loss(best.valLoss())
              + ", val accuracy "
              + Fmt.acc(best.valAcc())
              + " ± "
              + Fmt.acc(arm.band().acc(best))
              + ")");
      if (keep == null) {
        keep = arm.name() + " epoch " + best.epoch();
      }
    }
    Comparison c = context.state.comparison();
    if (c != null) {
      parts.add(
          "comparison: "
              + ("tie".equals(c.winner()) ? "no significant difference" : c.winner() + " wins")
              + " (test accuracy delta "
              + Fmt.signed(c.testAccDelta(), 3)
              + ", McNemar p = "
              + Fmt.p(c.pValue())
              + ")");
    }
    String evidence =
        parts.isEmpty()
            ? "no rule found a problem; no curves yet"
            : "no rule found a problem; " + String.join("; ", parts);
    return new Finding(
        "healthy",
        "info",
        "data",
        "Nothing to worry about",
        evidence,
        "Nothing to fix"
            + (keep == null ? "" : ": keep the best checkpoint (" + keep + ")")
            + ". More data or epochs may still help.");
  }
}
