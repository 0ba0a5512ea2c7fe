package io.tunelab.diagnosis;

import static io.tunelab.diagnosis.Fixtures.codes;
import static io.tunelab.diagnosis.Fixtures.only;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunelab.workflows.model.Comparison;
import io.tunelab.workflows.model.Finding;
import io.tunelab.workflows.model.RunState;
import java.util.List;
import org.junit.jupiter.api.Test;

/** finetune-no-better-than-scratch and forgetting. */
class TransferRuleTest {

  static RunState run(Comparison c) {
    return Fixtures.state(
        Fixtures.balanced(5, 300, 200),
        c,
        Fixtures.arm("finetune", Fixtures.healthyCurve(6), 0.842),
        Fixtures.arm("scratch", Fixtures.healthyCurve(6), 0.837));
  }

  @Test
  void exactMcNemarValues() {
    assertEquals(0.0625, TransferRule.mcnemar(0, 5), 1e-12);
    assertEquals(2 * 11 / 1024.0, TransferRule.mcnemar(1, 10), 1e-12);
    assertEquals(1.0, TransferRule.mcnemar(5, 10), 1e-12);
    assertEquals(9, TransferRule.neededSplit(10));
    assertEquals(0, TransferRule.neededSplit(5));
  }

  @Test
  void notSignificantWithDiscordantCounts() {
    double p = TransferRule.mcnemar(12, 26);
    Finding f =
        only(
            Fixtures.run(run(new Comparison("tie", 0.005, p, 14, 12))),
            "finetune-no-better-than-scratch");
    // a tie is worth knowing but nothing is broken
    assertEquals("info", f.severity());
    assertEquals("finetune", f.arm());
    assertTrue(
        f.evidence().contains("on 14 test images only fine-tuning got right vs 12"), f.evidence());
    assertTrue(
        f.evidence().contains("test accuracy finetune 0.842 vs scratch 0.837"), f.evidence());
    assertTrue(f.evidence().contains("a split of at least 19:7 is needed"), f.evidence());
    assertTrue(f.recommendation().contains("larger test"), f.recommendation());
  }

  @Test
  void noGainWithTheTargetShiftedIsAWarning() {
    // The harness's scrambled pixels: the arms level, domain-shift found.
    RunState state = run(new Comparison("tie", 0.005, TransferRule.mcnemar(12, 26), 14, 12));
    List<Finding> findings = new java.util.ArrayList<>();
    findings.add(
        new Finding("domain-shift", "warning", "finetune", "Shift", "pixels far apart", "Fix"));
    new TransferRule().apply(new DiagnosisContext(DiagnosisInput.of(state)), findings);
    Finding f = only(findings, "finetune-no-better-than-scratch");
    assertEquals("warning", f.severity());
    assertTrue(f.evidence().contains("domain-shift is found"), f.evidence());
    assertTrue(f.recommendation().startsWith("The pretrained model's source"), f.recommendation());
    // A shift at info (the features transfer anyway) leaves the tie a fact.
    List<Finding> mild = new java.util.ArrayList<>();
    mild.add(new Finding("domain-shift", "info", "finetune", "Shift", "mild", "Normalise"));
    new TransferRule().apply(new DiagnosisContext(DiagnosisInput.of(state)), mild);
    assertEquals("info", only(mild, "finetune-no-better-than-scratch").severity());
  }

  @Test
  void significantFineTuneWinIsSilent() {
    assertFalse(
        codes(Fixtures.run(run(new Comparison("finetune", 0.04, 0.001, 30, 8))))
            .contains("finetune-no-better-than-scratch"));
  }

  @Test
  void significantScratchWinFires() {
    Finding f =
        only(
            Fixtures.run(run(new Comparison("scratch", -0.04, 0.001, 8, 30))),
            "finetune-no-better-than-scratch");
    assertEquals("warning", f.severity());
    assertTrue(f.recommendation().startsWith("Pretraining hurts"), f.recommendation());
  }

  @Test
  void aScratchLeadJustPastSignificanceIsInfo() {
    // 38 discordant images: the smallest significant split gives a lead of exactly what p < 0.05
    // needs, 1.00× of it; 30:8 (lead 22) is clearly beyond and stays a warning
    int needed = TransferRule.neededSplit(38);
    int lead = 2 * needed - 38;
    double p = TransferRule.mcnemar(needed, 38);
    assertTrue(p < TransferRule.ALPHA, "p " + p);
    Finding f =
        only(
            Fixtures.run(run(new Comparison("scratch", -0.02, p, 38 - needed, needed))),
            "finetune-no-better-than-scratch");
    assertEquals("info", f.severity(), f.evidence());
    assertTrue(
        f.evidence()
            .contains(
                "scratch's lead of "
                    + lead
                    + " is 1.00× the lead of "
                    + lead
                    + " that p < 0.05 needs: within 1.5× of it, so info"),
        f.evidence());
  }

  @Test
  void forgettingAboveTenPoints() {
    ProbeResults probes = new ProbeResults(null, null, null, 0.91, 0.62, null, null);
    Finding f =
        only(Fixtures.run(Fixtures.input(run(null), null, null, null, null, probes)), "forgetting");
    assertTrue(f.evidence().contains("29.0 points lost"), f.evidence());
    // the pretrained model of the fixtures names no classes: a new task, forgetting is expected
    assertEquals("info", f.severity());
    ProbeResults mild = new ProbeResults(null, null, null, 0.91, 0.84, null, null);
    assertFalse(
        codes(Fixtures.run(Fixtures.input(run(null), null, null, null, null, mild)))
            .contains("forgetting"));
  }

  @Test
  void forgettingIsAWarningWhenTheTargetSharesTheSourceClasses() {
    ProbeResults probes = new ProbeResults(null, null, null, 0.91, 0.62, null, null);
    Finding f =
        only(
            Fixtures.run(Fixtures.input(sharingSource(run(null)), null, null, null, null, probes)),
            "forgetting");
    assertEquals("warning", f.severity());
    assertTrue(f.evidence().contains("shares"), f.evidence());
  }

  @Test
  void forgettingByAFineTuneThatDivergedIsInfo() {
    // The rate blew the backbone up: lr-too-high (critical) is the fault to fix.
    RunState blown =
        Fixtures.state(
            Fixtures.balanced(5, 300, 200),
            null,
            Fixtures.arm(
                "finetune",
                List.of(
                    LearningRateRuleTest.e(1, 2.3, 1.0, 0.5),
                    LearningRateRuleTest.e(2, Double.NaN, Double.NaN, 0.5))));
    ProbeResults probes = new ProbeResults(null, null, null, 0.91, 0.20, null, null);
    List<Finding> findings =
        Fixtures.run(Fixtures.input(sharingSource(blown), null, null, null, null, probes));
    assertEquals("critical", only(findings, "lr-too-high").severity());
    Finding f = only(findings, "forgetting");
    assertEquals("info", f.severity());
    assertTrue(f.evidence().contains("the fine-tune diverged"), f.evidence());
  }

  /** {@code base} fine-tuned from a source model with the same classes. */
  private static RunState sharingSource(RunState base) {
    io.tunelab.workflows.model.ModelInfo source =
        new io.tunelab.workflows.model.ModelInfo(
            "src",
            1,
            "cnn",
            io.tunelab.workflows.model.SampleShape.image(1, 28, 28),
            base.dataset().classes(),
            "models/src/1/parameters",
            "ingest",
            0.9,
            "src-run",
            List.of());
    return new RunState(
        base.runId(),
        base.kind(),
        base.status(),
        base.phase(),
        base.dataset(),
        base.arms(),
        base.comparison(),
        base.findings(),
        null,
        source,
        null,
        null);
  }
}
