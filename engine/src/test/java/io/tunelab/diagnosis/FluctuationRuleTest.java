package io.tunelab.diagnosis;

import static io.tunelab.diagnosis.Fixtures.codes;
import static io.tunelab.diagnosis.Fixtures.only;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunelab.workflows.model.EpochMetrics;
import io.tunelab.workflows.model.Finding;
import io.tunelab.workflows.model.RunState;
import java.util.List;
import org.junit.jupiter.api.Test;

class FluctuationRuleTest {
  static final double[] ZIGZAG_LOSS = {0.60, 0.55, 0.58, 0.53, 0.56, 0.52, 0.55, 0.51};
  static final double[] ZIGZAG_ACC = {0.80, 0.82, 0.80, 0.83, 0.81, 0.84, 0.82, 0.85};

  static RunState zigzag(int valPerClass) {
    List<EpochMetrics> curve =
        Fixtures.curve(
            Fixtures.falling(8, 0.8, 0.85), Fixtures.constant(8, 0.85), ZIGZAG_LOSS, ZIGZAG_ACC);
    return Fixtures.state(
        Fixtures.balanced(5, 300, valPerClass), null, Fixtures.arm("finetune", curve));
  }

  @Test
  void swingsWithinNoiseAreInfo() {
    // 100 validation images: accuracy band ±0.07, swings 0.02–0.03
    Finding f = only(Fixtures.run(zigzag(20)), "val-fluctuation");
    assertEquals("info", f.severity());
    assertTrue(f.evidence().contains("changed direction 6 times in 7"), f.evidence());
    assertTrue(f.evidence().contains("within the noise"), f.evidence());
  }

  @Test
  void theSameSwingsOnALargeValidationSetAreAWarning() {
    // 20,000 validation images: accuracy band ±0.005, loss band about ±0.016
    Finding f = only(Fixtures.run(zigzag(4000)), "val-fluctuation");
    assertEquals("warning", f.severity());
    assertTrue(f.evidence().contains("exceed the noise"), f.evidence());
    assertTrue(f.recommendation().contains("--lr"), f.recommendation());
  }

  @Test
  void theSameSwingsOnATinyTrainingSplitAreInfo() {
    // 8 training images per class: an epoch is one step (the harness's small-new-task on digits).
    List<EpochMetrics> curve =
        Fixtures.curve(
            Fixtures.falling(8, 0.8, 0.85), Fixtures.constant(8, 0.85), ZIGZAG_LOSS, ZIGZAG_ACC);
    Finding f =
        only(
            Fixtures.run(
                Fixtures.state(
                    Fixtures.balanced(5, 8, 4000), null, Fixtures.arm("finetune", curve))),
            "val-fluctuation");
    assertEquals("info", f.severity());
    assertTrue(f.evidence().contains("an epoch is a step or two"), f.evidence());
  }

  @Test
  void theSameSwingsWithLabelNoiseFoundAreInfo() {
    // The harness's label-noise cases: 25% of the labels moved; the swings are their symptom.
    List<EpochMetrics> curve =
        Fixtures.curve(
            Fixtures.falling(8, 0.8, 0.85), Fixtures.constant(8, 0.85), ZIGZAG_LOSS, ZIGZAG_ACC);
    DiagnosisContext context =
        new DiagnosisContext(
            DiagnosisInput.of(
                Fixtures.state(
                    Fixtures.balanced(5, 300, 4000), null, Fixtures.arm("finetune", curve))));
    List<Finding> findings = new java.util.ArrayList<>();
    new FluctuationRule().apply(context, findings);
    assertEquals("warning", only(findings, "val-fluctuation").severity(), "alone: a warning");
    List<Finding> withNoise = new java.util.ArrayList<>();
    withNoise.add(new Finding("label-noise", "warning", "data", "Labels", "25% flagged", "Fix"));
    new FluctuationRule().apply(context, withNoise);
    Finding f = only(withNoise, "val-fluctuation");
    assertEquals("info", f.severity());
    assertTrue(f.evidence().contains("fix the labels before the rate"), f.evidence());
  }

  @Test
  void withARateTooHighTheAdviceNamesTheSameRateAsLrTooHigh() {
    // The same swings after a training loss that exploded in epoch 1.
    double[] train = Fixtures.falling(8, 0.8, 0.85);
    train[0] = 27.0;
    List<EpochMetrics> curve =
        Fixtures.curve(train, Fixtures.constant(8, 0.85), ZIGZAG_LOSS, ZIGZAG_ACC);
    List<Finding> findings =
        Fixtures.run(
            Fixtures.state(Fixtures.balanced(5, 300, 4000), null, Fixtures.arm("finetune", curve)));
    Finding tooHigh = only(findings, "lr-too-high");
    Finding f = only(findings, "val-fluctuation");
    assertEquals("warning", f.severity());
    String lower = tooHigh.recommendation().substring(0, tooHigh.recommendation().indexOf(". "));
    assertTrue(f.recommendation().contains(lower + " (see lr-too-high)"), f.recommendation());
  }

  @Test
  void aSingleBumpInALongCurveIsNotFluctuation() {
    double[] loss = {1.0, 0.8, 0.7, 0.62, 0.70, 0.58, 0.55, 0.53, 0.52, 0.51};
    double[] acc = {0.60, 0.70, 0.75, 0.78, 0.76, 0.80, 0.81, 0.82, 0.83, 0.84};
    List<EpochMetrics> curve =
        Fixtures.curve(Fixtures.falling(10, 0.9, 0.85), Fixtures.constant(10, 0.85), loss, acc);
    RunState state =
        Fixtures.state(Fixtures.balanced(5, 300, 4000), null, Fixtures.arm("scratch", curve));
    assertFalse(codes(Fixtures.run(state)).contains("val-fluctuation"));
  }

  @Test
  void swingsCountsReversalsAndTheirAmplitude() {
    List<EpochMetrics> curve =
        Fixtures.curve(
            Fixtures.constant(5, 1),
            Fixtures.constant(5, 0.5),
            new double[] {1.0, 0.5, 0.9, 0.6, 0.7},
            Fixtures.constant(5, 0.5));
    FluctuationRule.Swings s =
        FluctuationRule.swings("val loss", curve, EpochMetrics::valLoss, m -> 0.2);
    assertEquals(3, s.reversals());
    assertEquals(4, s.steps());
    assertEquals(1.0, s.signChangeFraction(), 1e-12);
    // swings: min(0.5, 0.4) = 0.4, min(0.4, 0.3) = 0.3, min(0.3, 0.1) = 0.1 → two above 0.2
    assertEquals(2, s.beyond());
    assertEquals(0.4, s.largest(), 1e-12);
    assertEquals(List.of(2, 3, 4), s.turns());
  }

  @Test
  void swingsAtTheEdgeOfTheirBandAreInfo() {
    // swings 0.4, 0.3, 0.1: at least two and half of them reach the second largest, 0.3, which
    // is 1.49× a band of ±0.201 and 1.58× one of ±0.19
    List<EpochMetrics> curve =
        Fixtures.curve(
            Fixtures.constant(5, 1),
            Fixtures.constant(5, 0.5),
            new double[] {1.0, 0.5, 0.9, 0.6, 0.7},
            Fixtures.constant(5, 0.5));
    Strength edge =
        FluctuationRule.swings("val loss", curve, EpochMetrics::valLoss, m -> 0.201).strength();
    assertEquals(1.49, edge.ratio(), 0.01);
    assertEquals("info", edge.severity("warning"));
    Strength clear =
        FluctuationRule.swings("val loss", curve, EpochMetrics::valLoss, m -> 0.19).strength();
    assertEquals("warning", clear.severity("warning"));
    assertFalse(
        FluctuationRule.swings("val loss", curve, EpochMetrics::valLoss, m -> 0.35).mostlyBeyond());
  }

  @Test
  void anEarlyDipWhileTheModelStillConvergesIsInfo() {
    // a real fine-tune on 750 validation images (cosine schedule): accuracy dips once beyond its
    // band at epoch 3 and wobbles within it later; 2 of 6 swings beyond is not instability
    double[] valLoss = {0.327, 0.236, 0.272, 0.216, 0.203, 0.188, 0.175, 0.178, 0.169, 0.167};
    double[] valAcc = {0.880, 0.928, 0.892, 0.931, 0.928, 0.936, 0.941, 0.939, 0.943, 0.944};
    List<EpochMetrics> curve =
        Fixtures.curve(
            Fixtures.falling(10, 1.1, 0.85), Fixtures.constant(10, 0.9), valLoss, valAcc);
    RunState state =
        Fixtures.state(Fixtures.balanced(5, 300, 150), null, Fixtures.arm("finetune", curve));
    Finding f = only(Fixtures.run(state), "val-fluctuation");
    assertEquals("info", f.severity(), f.evidence());
  }
}
