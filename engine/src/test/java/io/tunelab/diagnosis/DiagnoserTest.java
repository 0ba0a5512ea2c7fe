package io.tunelab.diagnosis;

import static io.tunelab.diagnosis.Fixtures.codes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunelab.dataset.DatasetProfile;
import io.tunelab.dataset.DuplicatePair;
import io.tunelab.dataset.SourceStats;
import io.tunelab.workflows.model.Comparison;
import io.tunelab.workflows.model.EpochMetrics;
import io.tunelab.workflows.model.Finding;
import io.tunelab.workflows.model.RunState;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DiagnoserTest {
  static final Set<String> CONTRACT_CODES =
      Set.of(
          "overfitting",
          "low-initial-rising-val-loss",
          "val-fluctuation",
          "overconfidence",
          "lr-too-high",
          "underfitting",
          "insufficient-data",
          "class-imbalance",
          "label-noise",
          "domain-shift",
          "train-val-leakage",
          "small-validation-set",
          "finetune-no-better-than-scratch",
          "forgetting",
          "healthy");

  static RunState healthyRun() {
    return Fixtures.state(
        Fixtures.balanced(5, 300, 200),
        new Comparison("finetune", 0.06, 1e-4, 40, 10),
        Fixtures.arm("finetune", Fixtures.healthyCurve(8), 0.86),
        Fixtures.arm("scratch", Fixtures.healthyCurve(8), 0.80));
  }

  @Test
  void healthyCurvesGiveOnlyHealthy() {
    List<Finding> findings = Fixtures.run(healthyRun());
    assertEquals(List.of("healthy"), codes(findings));
    Finding f = findings.get(0);
    assertEquals("info", f.severity());
    assertTrue(f.evidence().contains("finetune: val loss lowest at epoch 8"), f.evidence());
    assertTrue(f.recommendation().contains("finetune epoch 8"), f.recommendation());
  }

  @Test
  void healthyMayComeWithInfoFindingsButNotWithWarnings() {
    // within-noise swings on a small-but-adequate validation set: info only
    List<EpochMetrics> zigzag =
        Fixtures.curve(
            Fixtures.falling(8, 0.8, 0.85),
            Fixtures.constant(8, 0.85),
            new double[] {0.60, 0.55, 0.58, 0.53, 0.56, 0.52, 0.55, 0.51},
            new double[] {0.90, 0.91, 0.90, 0.92, 0.91, 0.92, 0.91, 0.92});
    RunState state =
        Fixtures.state(Fixtures.balanced(5, 300, 60), null, Fixtures.arm("finetune", zigzag));
    assertEquals(List.of("healthy", "val-fluctuation"), codes(Fixtures.run(state)));
    RunState withWarning =
        Fixtures.state(
            Fixtures.dataset(
                DataRulesTest.counts(300, 300, 300, 300, 60), Fixtures.perClass(5, 60), 0),
            null,
            Fixtures.arm("finetune", zigzag));
    List<String> codes = codes(Fixtures.run(withWarning));
    assertTrue(!codes.contains("healthy") && codes.contains("class-imbalance"), codes.toString());
  }

  @Test
  void diagnoseOfStateEqualsDiagnoseOfInputWithOnlyTheState() {
    RunState state = OverfittingRuleTest.run("scratch", 4000, OverfittingRuleTest.TRAIN_LOSS);
    assertEquals(
        new Diagnoser().diagnose(DiagnosisInput.of(state)), new Diagnoser().diagnose(state));
  }

  @Test
  void mostSevereFirstAndDeterministic() {
    RunState state =
        Fixtures.state(
            Fixtures.dataset(DataRulesTest.counts(300, 300, 60), Fixtures.perClass(3, 20), 4),
            null,
            Fixtures.arm("finetune", Fixtures.healthyCurve(6)));
    List<Finding> findings = Fixtures.run(state);
    assertEquals("train-val-leakage", findings.get(0).code());
    for (int i = 1; i < findings.size(); i++) {
      assertTrue(rank(findings.get(i - 1)) <= rank(findings.get(i)), codes(findings).toString());
    }
    assertEquals(findings, Fixtures.run(state));
  }

  private static int rank(Finding f) {
    return switch (f.severity()) {
      case "critical" -> 0;
      case "warning" -> 1;
      default -> 2;
    };
  }

  @Test
  void everyContractCodeIsProduced() {
    Set<String> seen = new HashSet<>(codes(Fixtures.run(healthyRun())));
    List<DiagnosisInput> scenarios = new ArrayList<>();
    scenarios.add(
        DiagnosisInput.of(
            OverfittingRuleTest.run("scratch", 4000, OverfittingRuleTest.TRAIN_LOSS)));
    scenarios.add(CalibrationRuleTest.seedCase(true));
    scenarios.add(DiagnosisInput.of(FluctuationRuleTest.zigzag(20)));
    scenarios.add(
        DiagnosisInput.of(
            UnderfittingRuleTest.run(
                "finetune",
                new double[] {1.58, 1.55, 1.52, 1.50},
                new double[] {0.24, 0.26, 0.28, 0.29})));
    scenarios.add(
        DiagnosisInput.of(
            LearningRateRuleTest.run(
                Fixtures.arm(
                    "scratch",
                    List.of(
                        LearningRateRuleTest.e(1, 1.0, 1.0, 0.1),
                        LearningRateRuleTest.e(2, Double.NaN, 1.0, 0.1))))));
    scenarios.add(DiagnosisInput.of(DataRulesTest.run(DataRulesTest.counts(30, 30, 9), 2)));
    scenarios.add(
        DomainShiftRuleTest.input(
            Fixtures.pixels(170, 60, DomainShiftRuleTest.BRIGHT),
            new SourceStats(60, 80, DomainShiftRuleTest.DARK),
            0.5));
    scenarios.add(
        Fixtures.input(
            TransferRuleTest.run(new Comparison("tie", 0.0, 1.0, 5, 5)),
            null,
            null,
            LabelNoiseRuleTest.synthetic(0.2, 0.2, 1, new HashSet<>()),
            null,
            new ProbeResults(null, null, null, 0.9, 0.5, null, null)));
    double[] rising = {0.30, 0.33, 0.35, 0.37, 0.40, 0.42};
    scenarios.add(
        DiagnosisInput.of(
            Fixtures.state(
                Fixtures.balanced(5, 300, 2000),
                null,
                Fixtures.arm(
                    "finetune",
                    Fixtures.curve(
                        Fixtures.falling(6, 0.4, 0.7),
                        Fixtures.constant(6, 0.95),
                        rising,
                        Fixtures.constant(6, 0.85))))));
    for (DiagnosisInput input : scenarios) {
      seen.addAll(codes(Fixtures.run(input)));
    }
    assertEquals(CONTRACT_CODES, seen);
  }

  @Test
  void profileCountsAndLeakageFeedTheRulesWithoutTheStateSummary() {
    Map<String, Integer> train = DataRulesTest.counts(300, 300);
    DatasetProfile profile =
        Fixtures.profile(
            train,
            Fixtures.perClass(2, 200),
            null,
            1,
            List.of(new DuplicatePair("a.png", "train", "b.png", "test", 0)),
            0,
            List.of());
    RunState state = Fixtures.state(null, null, Fixtures.arm("finetune", Fixtures.healthyCurve(5)));
    List<String> codes =
        codes(Fixtures.run(Fixtures.input(state, profile, null, null, null, null)));
    assertEquals(List.of("train-val-leakage"), codes);
  }
}
