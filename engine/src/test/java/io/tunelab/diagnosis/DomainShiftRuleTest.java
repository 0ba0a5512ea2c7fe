package io.tunelab.diagnosis;

import static io.tunelab.diagnosis.Fixtures.codes;
import static io.tunelab.diagnosis.Fixtures.only;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunelab.dataset.DatasetProfile;
import io.tunelab.dataset.PixelStats;
import io.tunelab.dataset.SourceStats;
import io.tunelab.workflows.model.Comparison;
import io.tunelab.workflows.model.Finding;
import io.tunelab.workflows.model.RunState;
import java.util.List;
import org.junit.jupiter.api.Test;

class DomainShiftRuleTest {
  static final long[] DARK = {600, 100, 50, 40, 30, 20, 20, 20, 20, 20, 20, 20, 20, 20, 30, 70};
  static final long[] BRIGHT = {20, 20, 20, 20, 30, 30, 40, 50, 60, 80, 90, 100, 110, 120, 130, 80};

  static DiagnosisInput input(PixelStats target, SourceStats source, Double probe) {
    return input(target, source, probe, null, null);
  }

  /** A 5-class target whose fine-tune peaks at val accuracy 0.80 (the healthy curve). */
  static DiagnosisInput input(
      PixelStats target,
      SourceStats source,
      Double probe,
      ProbeResults.FeatureProbe sizes,
      ProbeResults.FeatureProbe control) {
    RunState state =
        Fixtures.state(
            Fixtures.balanced(5, 300, 200),
            null,
            Fixtures.arm("finetune", Fixtures.healthyCurve(6)));
    DatasetProfile profile =
        Fixtures.profile(
            Fixtures.perClass(5, 300),
            Fixtures.perClass(5, 200),
            target,
            0,
            List.of(),
            0,
            List.of());
    ProbeResults probes =
        probe == null ? null : new ProbeResults(null, probe, null, null, null, sizes, control);
    return Fixtures.input(state, profile, null, null, source, probes);
  }

  @Test
  void distantPixelStatisticsAreDomainShift() {
    Finding f =
        only(
            Fixtures.run(
                input(Fixtures.pixels(170, 60, BRIGHT), new SourceStats(60, 80, DARK), null)),
            "domain-shift");
    assertEquals("warning", f.severity());
    assertEquals("finetune", f.arm());
    assertTrue(f.evidence().contains("mean difference 1.38 source stds"), f.evidence());
    assertTrue(f.evidence().contains("Jensen–Shannon divergence"), f.evidence());
  }

  @Test
  void similarPixelsAreSilent() {
    assertFalse(
        codes(
                Fixtures.run(
                    input(Fixtures.pixels(62, 78, DARK), new SourceStats(60, 80, DARK), null)))
            .contains("domain-shift"));
  }

  @Test
  void aLinearProbeFarBelowFineTuningIsFeatureShift() {
    // the healthy curve peaks at val accuracy 0.80; the probe reaches 0.55
    Finding f =
        only(
            Fixtures.run(input(Fixtures.pixels(62, 78, DARK), new SourceStats(60, 80, DARK), 0.55)),
            "domain-shift");
    assertEquals("warning", f.severity());
    assertTrue(f.evidence().contains("gap +0.250"), f.evidence());
  }

  @Test
  void mildPixelShiftWithFeaturesThatTransferIsInfo() {
    // mean 0.63 source stds away, same histogram shape: beyond the limit, within twice it
    Finding f =
        only(
            Fixtures.run(
                input(Fixtures.pixels(110, 80, DARK), new SourceStats(60, 80, DARK), 0.79)),
            "domain-shift");
    assertEquals("info", f.severity());
  }

  @Test
  void strongPixelShiftIsAWarningEvenWhenANewHeadCopes() {
    // inverted-like images: the probe keeps up, but inputs are normalised with the wrong statistics
    Finding f =
        only(
            Fixtures.run(
                input(Fixtures.pixels(170, 60, BRIGHT), new SourceStats(60, 80, DARK), 0.79)),
            "domain-shift");
    assertEquals("warning", f.severity());
  }

  /** The probe's sizes: 8 images per class of 5 classes, validated on 1,000. */
  static ProbeResults.FeatureProbe smallProbe(double acc) {
    return new ProbeResults.FeatureProbe(acc, 40, 1000, 5, 300);
  }

  /** The control: the same probe at 8 per class on the source's 5 classes, validated on 500. */
  static ProbeResults.FeatureProbe control(double acc) {
    return new ProbeResults.FeatureProbe(acc, 40, 500, 5, 300);
  }

  /**
   * A target of {@code pixels} whose 8-per-class probe (0.35) falls far below the control (0.75).
   */
  static DiagnosisInput farBelowTheControl(PixelStats pixels) {
    return input(pixels, new SourceStats(60, 80, DARK), 0.35, smallProbe(0.35), control(0.75));
  }

  @Test
  void aSmallTargetFromTheSameDomainIsNotShiftWhenTheControlFallsAsShort() {
    // The case: 8 images per class, pixels within limits, the probe 0.25 below the
    // fine-tune; on 8 source images per class the same probe reaches about as much.
    DiagnosisInput input =
        input(
            Fixtures.pixels(62, 78, DARK),
            new SourceStats(60, 80, DARK),
            0.55,
            smallProbe(0.55),
            control(0.58));
    assertFalse(codes(Fixtures.run(input)).contains("domain-shift"));
    String explained =
        DomainShiftRule.sampleSizeExplains(
            smallProbe(0.55), control(0.58), new DiagnosisContext(input));
    assertTrue(explained.startsWith(DomainShiftRule.EXPLAINED), explained);
    assertTrue(explained.contains("shortfall +0.037"), explained);
  }

  @Test
  void invertedOrRotatedImagesAreShiftEvenAtASmallSize() {
    // Rotated images keep the pixel statistics; only the features can tell: on a backbone whose
    // frozen features are specific to the source's domain, the target's probe stays near chance
    // where the control's separates the source's classes (on the small cnn they do not: see
    // FrozenFeatureProbeTest).
    Finding f =
        only(Fixtures.run(farBelowTheControl(Fixtures.pixels(62, 78, DARK))), "domain-shift");
    assertEquals("warning", f.severity());
    assertTrue(f.evidence().contains("control: the same probe"), f.evidence());
    assertTrue(f.evidence().contains("shortfall +0.500"), f.evidence());
    assertTrue(f.title().contains("features do not fit"), f.title());
  }

  /**
   * The harness's rotated Fashion-MNIST on the small cnn: pixels within limits, the probe as good
   * as fine-tuning (its features separate rotated garments too), but the pretrained model, head
   * included, gets its own classes right 0.31 of the time on the target against 0.88 on its own
   * test images.
   */
  static DiagnosisInput recognised(double targetAcc) {
    ProbeResults.FeatureProbe probe = new ProbeResults.FeatureProbe(0.84, 750, 375, 5, 200);
    ProbeResults probes =
        new ProbeResults(
            null,
            0.84,
            null,
            null,
            null,
            probe,
            control(0.83),
            new ProbeResults.Recognition(targetAcc, 375, 0.88, 450, 5),
            null,
            null);
    DiagnosisInput base = input(Fixtures.pixels(62, 78, DARK), new SourceStats(60, 80, DARK), null);
    return new DiagnosisInput(base.state(), base.profile(), null, null, base.source(), probes);
  }

  @Test
  void aModelThatNoLongerRecognisesItsOwnClassesSeesShiftedInputs() {
    Finding f = only(Fixtures.run(recognised(0.31)), "domain-shift");
    assertEquals("warning", f.severity());
    assertTrue(f.title().contains("does not recognise its own classes"), f.title());
    assertTrue(
        f.evidence().contains("0.310 of 375 target val images right against 0.880 of 450"),
        f.evidence());
    assertTrue(f.evidence().contains("drop +0.570"), f.evidence());
    assertTrue(f.recommendation().contains("orientation, inversion"), f.recommendation());
  }

  @Test
  void aModelThatRecognisesItsOwnClassesAsWellIsNoShift() {
    assertFalse(codes(Fixtures.run(recognised(0.86))).contains("domain-shift"));
    // Just past the threshold (0.15 and twice the noise, 0.06 here): info, not a warning.
    Finding edge = only(Fixtures.run(recognised(0.70)), "domain-shift");
    assertEquals("info", edge.severity());
    assertTrue(edge.evidence().contains("so info"), edge.evidence());
  }

  @Test
  void probesJsonKeepsTheRecognitionAndReadsOlderProbesWithout() {
    ProbeResults probes = recognised(0.31).probes();
    assertEquals(
        probes,
        io.tunelab.storage.Json.read(io.tunelab.storage.Json.bytes(probes), ProbeResults.class));
    ProbeResults older =
        io.tunelab.storage.Json.read(
            "{\"linearProbeValAcc\":0.8,\"sourceAccBefore\":0.9,\"sourceAccAfter\":0.85}"
                .getBytes(java.nio.charset.StandardCharsets.UTF_8),
            ProbeResults.class);
    assertEquals(null, older.recognition());
    assertEquals(0.85, older.sourceAccAfter());
  }

  @Test
  void aRecognitionDropWithinItsNoiseIsNoShift() {
    ProbeResults.Recognition few = new ProbeResults.Recognition(0.60, 10, 0.80, 10, 2);
    assertEquals(0.20, few.drop(), 1e-9);
    assertTrue(few.drop() < 2 * few.dropStdError(), "0.20 is within twice the noise of 10 + 10");
    assertEquals(
        null,
        DomainShiftRule.recognition(
            new ProbeResults(null, null, null, null, null, null, null, few, null, null),
            new DiagnosisContext(recognised(0.86)),
            new java.util.ArrayList<>()));
  }

  /**
   * Pixels within limits and the recognition check absent (a new task); the feature statistics of
   * the target's training samples against the network's running statistics, the source's own test
   * samples at 1.02×; the probe as good as fine-tuning unless {@code probe} says otherwise.
   */
  static DiagnosisInput statistics(double meanShift, double varianceRatio, Double probe) {
    ProbeResults probes =
        new ProbeResults(
            null,
            probe,
            null,
            null,
            null,
            probe == null ? null : new ProbeResults.FeatureProbe(probe, 750, 375, 5, 200),
            probe == null ? null : control(0.83),
            null,
            new ProbeResults.FeatureStats(64, 750, meanShift, varianceRatio),
            new ProbeResults.FeatureStats(64, 450, 0.01, 1.02));
    DiagnosisInput base = input(Fixtures.pixels(62, 78, DARK), new SourceStats(60, 80, DARK), null);
    return new DiagnosisInput(base.state(), base.profile(), null, null, base.source(), probes);
  }

  @Test
  void featureStatisticsFarFromTheRunningOnesAreShift() {
    // The harness's garments fine-tuned from the digits model: variances 2.05× the source's.
    Finding f = only(Fixtures.run(statistics(0.30, 2.05, null)), "domain-shift");
    assertEquals("warning", f.severity());
    assertTrue(f.title().contains("feature statistics"), f.title());
    assertTrue(f.evidence().contains("typical variance ratio 2.05× (limit 1.5×)"), f.evidence());
    assertTrue(
        f.evidence().contains("the source's own test samples: 0.01 and 1.02×"), f.evidence());
    // With the probe as good as fine-tuning, a shift within twice the limits is info; beyond, a
    // warning (scrambled pixels: variances 3×, means 1.4 running stds apart).
    assertEquals(
        "info", only(Fixtures.run(statistics(0.30, 2.05, 0.80)), "domain-shift").severity());
    assertEquals(
        "warning", only(Fixtures.run(statistics(1.40, 3.0, 0.80)), "domain-shift").severity());
  }

  @Test
  void aShiftTheProbeCopesWithIsAWarningWhenFineTuningGainedNothing() {
    // The harness's garments from the digits model: variances 1.74×, the probe above fine-tuning,
    // and the fine-tune no better than scratch (a tie): the transfer is worth nothing all the same.
    DiagnosisInput shifted = statistics(0.30, 1.74, 0.80);
    Finding tie =
        only(
            Fixtures.run(withComparison(shifted, new Comparison("tie", -0.01, 0.40, 20, 26))),
            "domain-shift");
    assertEquals("warning", tie.severity());
    assertTrue(tie.evidence().contains("fine-tuning gained nothing over scratch"), tie.evidence());
    // A fine-tune significantly ahead of scratch: the shift costs little, info
    Finding ahead =
        only(
            Fixtures.run(withComparison(shifted, new Comparison("finetune", 0.06, 0.003, 40, 15))),
            "domain-shift");
    assertEquals("info", ahead.severity());
    assertFalse(ahead.evidence().contains("gained nothing"), ahead.evidence());
  }

  /** The same input with the paired comparison of the arms on the test split. */
  private static DiagnosisInput withComparison(DiagnosisInput in, Comparison comparison) {
    RunState s = in.state();
    RunState state =
        new RunState(
            s.runId(),
            s.kind(),
            s.status(),
            s.phase(),
            s.dataset(),
            s.arms(),
            comparison,
            s.findings(),
            s.registered(),
            s.pretrained(),
            s.reportKey(),
            s.error());
    return new DiagnosisInput(
        state, in.profile(), in.validation(), in.outOfSample(), in.source(), in.probes());
  }

  @Test
  void featureStatisticsWithinTheLimitsAreNoShift() {
    // Fashion-MNIST's classes 5-9 on the model of 0-4 (the harness's small-new-task): 1.2×, 0.15.
    assertFalse(codes(Fixtures.run(statistics(0.15, 1.2, null))).contains("domain-shift"));
    assertFalse(codes(Fixtures.run(statistics(0.15, 1.2, 0.80))).contains("domain-shift"));
  }

  @Test
  void runningStatisticsThatMissTheSourceItselfAreNotJudged() {
    ProbeResults probes =
        new ProbeResults(
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            new ProbeResults.FeatureStats(64, 750, 0.9, 2.5),
            new ProbeResults.FeatureStats(64, 450, 0.6, 1.4));
    List<String> evidence = new java.util.ArrayList<>();
    assertEquals(null, DomainShiftRule.featureStatistics(probes, evidence));
    assertTrue(evidence.get(0).contains("nothing is judged"), evidence.get(0));
  }

  @Test
  void aProbeTrainedOnLabelsFoundMislabelledIsNotReadAsShift() {
    // The harness's label-noise case: 25% of the training labels moved, pixels within limits; the
    // probe learns the wrong labels and falls far below the clean control, as shifted features
    // would. With label-noise found, only the pixels can say shift.
    DiagnosisInput input = farBelowTheControl(Fixtures.pixels(62, 78, DARK));
    List<Finding> findings = new java.util.ArrayList<>();
    findings.add(new Finding("label-noise", "warning", "data", "Labels", "25% flagged", "Fix"));
    new DomainShiftRule().apply(new DiagnosisContext(input), findings);
    assertEquals(List.of("label-noise"), codes(findings));
    // Shifted pixels still are shift, and the evidence says why the probe was not used.
    DiagnosisInput shiftedPixels = farBelowTheControl(Fixtures.pixels(170, 60, BRIGHT));
    List<Finding> withPixels = new java.util.ArrayList<>(List.of(findings.get(0)));
    new DomainShiftRule().apply(new DiagnosisContext(shiftedPixels), withPixels);
    Finding f = only(withPixels, "domain-shift");
    assertEquals("warning", f.severity());
    assertTrue(f.evidence().contains(DomainShiftRule.NOISY_LABELS), f.evidence());
  }

  @Test
  void aSmallProbeWithoutAControlIsNotJudged() {
    assertFalse(
        codes(
                Fixtures.run(
                    input(
                        Fixtures.pixels(62, 78, DARK),
                        new SourceStats(60, 80, DARK),
                        0.55,
                        smallProbe(0.55),
                        null)))
            .contains("domain-shift"));
  }

  @Test
  void aGapWithinTheProbesNoiseIsNotShift() {
    // 20 validation images: the 0.25 gap is within twice its noise (0.28)
    ProbeResults.FeatureProbe noisy = new ProbeResults.FeatureProbe(0.55, 1500, 20, 5, 300);
    assertFalse(
        codes(
                Fixtures.run(
                    input(
                        Fixtures.pixels(62, 78, DARK),
                        new SourceStats(60, 80, DARK),
                        0.55,
                        noisy,
                        null)))
            .contains("domain-shift"));
  }

  @Test
  void aLargeProbeFarBelowFineTuningIsShiftWithoutAControl() {
    Finding f =
        only(
            Fixtures.run(
                input(
                    Fixtures.pixels(62, 78, DARK),
                    new SourceStats(60, 80, DARK),
                    0.55,
                    new ProbeResults.FeatureProbe(0.55, 1500, 1000, 5, 300),
                    null)),
            "domain-shift");
    assertEquals("warning", f.severity());
    assertTrue(f.evidence().contains("gap +0.250 ± 0.020"), f.evidence());
  }

  @Test
  void divergencesOfIdenticalAndDisjointHistograms() {
    double[] a = {0.5, 0.5, 0, 0};
    double[] b = {0, 0, 0.5, 0.5};
    assertEquals(0, DomainShiftRule.jensenShannon(a, a), 1e-12);
    assertEquals(1, DomainShiftRule.jensenShannon(a, b), 1e-12);
    assertEquals(1, DomainShiftRule.totalVariation(a, b), 1e-12);
  }
}
