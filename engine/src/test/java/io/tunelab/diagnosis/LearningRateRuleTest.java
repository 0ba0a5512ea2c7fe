package io.tunelab.diagnosis;

import static io.tunelab.diagnosis.Fixtures.codes;
import static io.tunelab.diagnosis.Fixtures.only;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunelab.workflows.model.Arm;
import io.tunelab.workflows.model.ArmResult;
import io.tunelab.workflows.model.EpochMetrics;
import io.tunelab.workflows.model.Finding;
import io.tunelab.workflows.model.RunState;
import io.tunelab.workflows.model.RunStatus;
import java.util.List;
import org.junit.jupiter.api.Test;

class LearningRateRuleTest {

  static EpochMetrics e(int epoch, double trainLoss, double valLoss, double lr) {
    return new EpochMetrics(epoch, trainLoss, 0.5, valLoss, 0.5, lr, 1);
  }

  static RunState run(ArmResult arm) {
    return Fixtures.state(Fixtures.balanced(5, 300, 200), null, arm);
  }

  @Test
  void nanLossIsCriticalAndRecommendsATenthOfTheRate() {
    ArmResult arm =
        Fixtures.arm(
            "scratch",
            List.of(e(1, 1.2, 1.1, 0.1), e(2, 0.9, 1.0, 0.1), e(3, Double.NaN, Double.NaN, 0.1)));
    Finding f = only(Fixtures.run(run(arm)), "lr-too-high");
    assertEquals("critical", f.severity());
    assertTrue(f.evidence().contains("epoch 3: train loss NaN"), f.evidence());
    assertTrue(f.recommendation().contains("--scratch-lr 0.010"), f.recommendation());
  }

  @Test
  void anArmThatFailedWithDivergenceIsCritical() {
    ArmResult arm =
        new ArmResult(
            Arm.FINETUNE,
            RunStatus.FAILED,
            List.of(e(1, 1.2, 1.1, 0.05)),
            1,
            null,
            null,
            false,
            null,
            null,
            "training diverged in epoch 2 (loss is NaN or infinite)",
            List.of());
    Finding f = only(Fixtures.run(run(arm)), "lr-too-high");
    assertEquals("critical", f.severity());
    assertTrue(f.evidence().contains("diverged in epoch 2"), f.evidence());
    assertTrue(f.recommendation().contains("--lr 0.0050"), f.recommendation());
  }

  @Test
  void trainingLossSpikeIsAWarning() {
    ArmResult arm =
        Fixtures.arm(
            "scratch",
            List.of(
                e(1, 0.9, 0.9, 0.05),
                e(2, 0.6, 0.7, 0.05),
                e(3, 1.2, 0.8, 0.05),
                e(4, 0.5, 0.6, 0.05)));
    Finding f = only(Fixtures.run(run(arm)), "lr-too-high");
    assertEquals("warning", f.severity());
    assertTrue(f.evidence().contains("train loss 0.6000 → 1.2000 at epoch 3"), f.evidence());
  }

  @Test
  void smallTrainingWobbleIsNotASpike() {
    ArmResult arm =
        Fixtures.arm(
            "scratch",
            List.of(
                e(1, 0.9, 0.9, 0.05),
                e(2, 0.6, 0.7, 0.05),
                e(3, 0.63, 0.68, 0.05),
                e(4, 0.5, 0.6, 0.05)));
    assertFalse(codes(Fixtures.run(run(arm))).contains("lr-too-high"));
  }

  @Test
  void tinyLossesGrowingByAFractionAreNotSpikes() {
    // late in training +36% of 0.05 is 0.018, far under a tenth of ln(5)
    ArmResult arm =
        Fixtures.arm(
            "scratch",
            List.of(
                e(1, 0.9, 0.9, 0.05),
                e(2, 0.2, 0.5, 0.05),
                e(3, 0.05, 0.45, 0.05),
                e(4, 0.068, 0.46, 0.05),
                e(5, 0.03, 0.47, 0.05)));
    assertFalse(codes(Fixtures.run(run(arm))).contains("lr-too-high"));
  }

  @Test
  void aJumpWithinTheNoiseOfAFewTrainingImagesIsNotASpike() {
    // 25 training images: one batch per epoch, a +1.1 jump of the mean loss is noise
    ArmResult arm =
        Fixtures.arm(
            "scratch",
            List.of(
                e(1, 2.55, 3.4, 0.001),
                e(2, 3.64, 3.1, 0.001),
                e(3, 2.9, 2.1, 0.001),
                e(4, 2.4, 1.7, 0.001)));
    RunState state = Fixtures.state(Fixtures.balanced(5, 5, 150), null, arm);
    assertFalse(codes(Fixtures.run(state)).contains("lr-too-high"));
  }

  @Test
  void aFirstEpochFarAboveGuessingIsAnExplosionEvenWhenTrainingRecovers() {
    // adam at 0.05 from scratch on five classes: 27 in epoch 1, then it settles
    ArmResult arm =
        Fixtures.arm(
            "scratch",
            List.of(
                e(1, 27.1, 0.89, 0.05),
                e(2, 0.75, 0.64, 0.05),
                e(3, 0.64, 0.57, 0.05),
                e(4, 0.50, 0.53, 0.05)));
    Finding f = only(Fixtures.run(run(arm)), "lr-too-high");
    assertEquals("warning", f.severity());
    assertTrue(
        f.evidence().contains("epoch 1: mean train loss 27.1000, 16.8× ln(5)"), f.evidence());
    assertTrue(f.recommendation().contains("--scratch-lr 0.0050"), f.recommendation());
  }

  @Test
  void aLateBumpOfAFewHundredthsIsNotASpike() {
    // a healthy run's late bump: +34% but only +0.06, under 0.05 × ln(5)
    ArmResult arm =
        Fixtures.arm(
            "scratch",
            List.of(
                e(1, 0.93, 0.43, 0.001),
                e(2, 0.42, 0.34, 0.001),
                e(3, 0.30, 0.40, 0.001),
                e(4, 0.18, 0.32, 0.001),
                e(5, 0.241, 0.32, 0.001),
                e(6, 0.166, 0.33, 0.001)));
    assertFalse(codes(Fixtures.run(run(arm))).contains("lr-too-high"));
  }

  @Test
  void trainingLossEndingAboveGuessingIsDivergence() {
    ArmResult arm =
        Fixtures.arm(
            "scratch",
            List.of(
                e(1, 1.5, 1.5, 0.5),
                e(2, 1.55, 1.6, 0.5),
                e(3, 1.65, 1.7, 0.5),
                e(4, 1.7, 1.75, 0.5)));
    Finding f = only(Fixtures.run(run(arm)), "lr-too-high");
    assertEquals("critical", f.severity());
    assertTrue(f.evidence().contains("above ln(5)"), f.evidence());
  }

  @Test
  void aDivergedArmsSwingsAreNotReadAsFluctuation() {
    // The harness's too-little-data-and-too-high-a-rate case: the losses blow up and swing.
    ArmResult arm =
        Fixtures.arm(
            "finetune",
            List.of(
                e(1, 2.3, 1.0, 0.5),
                e(2, 3.0, 6.0, 0.5),
                e(3, 2.9, 2.0, 0.5),
                e(4, 4e3, 9.0, 0.5),
                e(5, 2.5, 3.0, 0.5),
                e(6, 9e5, 12.0, 0.5)));
    List<Finding> alone = new java.util.ArrayList<>();
    new FluctuationRule().apply(new DiagnosisContext(DiagnosisInput.of(run(arm))), alone);
    assertEquals(List.of("val-fluctuation"), codes(alone), "the swings alone are fluctuation");
    List<Finding> all = Fixtures.run(run(arm));
    assertEquals("critical", only(all, "lr-too-high").severity());
    assertFalse(codes(all).contains("val-fluctuation"), all.toString());
  }

  @Test
  void aLossHoveringAtGuessingLevelIsNotDivergence() {
    // Too low a rate (digits at sgd 1e-5): the loss moves a few percent around its start.
    ArmResult arm =
        Fixtures.arm(
            "scratch",
            List.of(e(1, 2.21, 1.99, 1e-5), e(2, 2.17, 1.97, 1e-5), e(3, 2.24, 1.95, 1e-5)));
    assertFalse(codes(Fixtures.run(run(arm))).contains("lr-too-high"));
  }

  @Test
  void rangeTestSuggestsTheSteepestDescentRate() {
    List<ProbeResults.LrPoint> range =
        List.of(
            new ProbeResults.LrPoint(1e-5, 2.3),
            new ProbeResults.LrPoint(1e-4, 2.3),
            new ProbeResults.LrPoint(1e-3, 2.1),
            new ProbeResults.LrPoint(3e-3, 1.7),
            new ProbeResults.LrPoint(1e-2, 1.0),
            new ProbeResults.LrPoint(3e-2, 0.8),
            new ProbeResults.LrPoint(1e-1, 0.7),
            new ProbeResults.LrPoint(1, 6.0));
    // steepest descent per log-rate from 3e-3 to 1e-2; lowest loss at 0.1, a tenth is 0.01
    assertEquals(3e-3, LearningRateRule.fromRangeTest(range), 1e-12);
    ArmResult arm =
        Fixtures.arm(
            "finetune",
            List.of(e(1, 1.2, 1.1, 0.1), e(2, Double.POSITIVE_INFINITY, Double.NaN, 0.1)));
    ProbeResults probes = new ProbeResults(null, null, range, null, null, null, null);
    Finding f =
        only(Fixtures.run(Fixtures.input(run(arm), null, null, null, null, probes)), "lr-too-high");
    assertTrue(
        f.recommendation().contains("--lr 0.0030 (learning-rate range test"), f.recommendation());
  }

  @Test
  void rangeSuggestionAboveTheCurrentRateFallsBackToATenth() {
    List<ProbeResults.LrPoint> range =
        List.of(
            new ProbeResults.LrPoint(0.1, 2.0),
            new ProbeResults.LrPoint(0.3, 1.0),
            new ProbeResults.LrPoint(1, 0.5));
    assertEquals(
        "0.0010 (a tenth of the 0.010 in use; the range test's suggestion 0.10 is not "
            + "below it)",
        LearningRateRule.suggest(
            new ProbeResults(null, null, range, null, null, null, null), 0.01));
  }

  @Test
  void aFineTuneWhoseFirstEpochIsWorseThanGuessingSupportsASpike() {
    double lnK = Math.log(5);
    ArmResult undone =
        Fixtures.arm(
            "finetune",
            List.of(
                e(1, 1.37 * lnK, 0.96, 0.005),
                e(2, 1.0, 0.74, 0.005),
                e(3, 0.72, 0.86, 0.005),
                e(4, 0.70, 2.4, 0.005)));
    Finding f = only(Fixtures.run(run(undone)), "lr-too-high");
    assertEquals("warning", f.severity());
    assertEquals("finetune", f.arm());
    assertTrue(f.evidence().contains("epoch 1 of the fine-tune"), f.evidence());
    assertTrue(f.recommendation().contains("--lr 0.00050"), f.recommendation());

    // The start alone is no finding: sound fine-tunes of noisy, tiny or shifted targets start
    // there too (the diagnosis harness: 1.3–1.8 × ln 5 at Adam 0.001).
    ArmResult startOnly =
        Fixtures.arm(
            "finetune",
            List.of(
                e(1, 1.37 * lnK, 0.96, 0.005),
                e(2, 1.0, 0.74, 0.005),
                e(3, 0.72, 0.86, 0.005),
                e(4, 0.70, 0.97, 0.005)));
    assertTrue(
        Fixtures.run(run(startOnly)).stream().noneMatch(x -> x.code().equals("lr-too-high")));
    // Nor is it for scratch (random features may start above guessing), nor for a fine-tune whose
    // first epoch falls below guessing.
    ArmResult scratch =
        Fixtures.arm(
            "scratch",
            List.of(e(1, 1.37 * lnK, 1.5, 0.005), e(2, 1.3, 1.4, 0.005), e(3, 1.2, 1.35, 0.005)));
    assertTrue(Fixtures.run(run(scratch)).stream().noneMatch(x -> x.code().equals("lr-too-high")));
    ArmResult healthy =
        Fixtures.arm(
            "finetune",
            List.of(e(1, 0.9 * lnK, 0.9, 0.001), e(2, 0.8, 0.8, 0.001), e(3, 0.7, 0.75, 0.001)));
    assertTrue(Fixtures.run(run(healthy)).stream().noneMatch(x -> x.code().equals("lr-too-high")));
  }

  @Test
  void aTinyTrainingSplitsSwingsAreNoSpikesButItsBlowUpsAre() {
    // 8 images per class in 2 batches: a sound fine-tune's epoch means swing 3.5 -> 5.3
    ArmResult swinging =
        Fixtures.arm(
            "finetune",
            List.of(
                e(1, 3.55, 1.2, 0.001),
                e(2, 5.30, 1.1, 0.001),
                e(3, 2.1, 1.05, 0.001),
                e(4, 1.4, 1.0, 0.001)));
    RunState tiny = Fixtures.state(Fixtures.balanced(5, 8, 200), null, swinging);
    assertTrue(Fixtures.run(tiny).stream().noneMatch(x -> x.code().equals("lr-too-high")));
    assertTrue(Fixtures.run(tiny).stream().noneMatch(x -> x.code().equals("underfitting")));
    // the same swings on 300 per class are a spike
    assertTrue(Fixtures.run(run(swinging)).stream().anyMatch(x -> x.code().equals("lr-too-high")));
    ArmResult blownUp =
        Fixtures.arm(
            "finetune",
            List.of(
                e(1, 2.3, 1.2, 5.0),
                e(2, 4312.8, 900, 4.3),
                e(3, 1e6, 1e5, 3.5),
                e(4, 1e7, 1e6, 2.5)));
    Finding f =
        only(
            Fixtures.run(Fixtures.state(Fixtures.balanced(5, 8, 200), null, blownUp)),
            "lr-too-high");
    assertEquals("critical", f.severity());
  }

  @Test
  void aTinyTrainingSplitsLoneValidationJumpIsInfo() {
    // 5 images per class, a step an epoch: the validation loss jumps after the second while the
    // training loss falls (the harness's clean 25-image scratch arm on Fashion-MNIST, seed 2)
    ArmResult arm =
        Fixtures.arm(
            "scratch",
            List.of(
                e(1, 1.62, 1.60, 0.001),
                e(2, 1.50, 2.70, 0.001),
                e(3, 1.30, 1.75, 0.001),
                e(4, 1.10, 1.70, 0.001)));
    Finding f =
        only(Fixtures.run(Fixtures.state(Fixtures.balanced(5, 5, 200), null, arm)), "lr-too-high");
    assertEquals("info", f.severity());
    assertTrue(f.evidence().startsWith("val loss spike 1.6000 → 2.7000 at epoch 2"), f.evidence());
    assertTrue(f.evidence().contains("on 25 training samples (under 100)"), f.evidence());
    // the same jump on 300 per class is a warning
    assertEquals("warning", only(Fixtures.run(run(arm)), "lr-too-high").severity());
  }

  @Test
  void aSpikeRightAfterARateCutIsTheRateBeforeTheCuts() {
    // The C3D story: 0.005 for four epochs, then 0.0005; the loss jumps in the first cut epoch.
    ArmResult arm =
        Fixtures.arm(
            "finetune",
            List.of(
                e(1, 1.2, 0.86, 0.005),
                e(2, 0.78, 0.73, 0.005),
                e(3, 0.52, 0.69, 0.005),
                e(4, 0.28, 1.0, 0.005),
                e(5, 0.86, 0.82, 0.0005),
                e(6, 0.45, 0.68, 0.0005)));
    Finding f = only(Fixtures.run(run(arm)), "lr-too-high");
    assertTrue(f.evidence().contains("at epoch 5 (+207%, lr 0.00050 after 0.0050)"), f.evidence());
    assertTrue(
        f.recommendation().contains("--lr 0.00050 (a tenth of the 0.0050"), f.recommendation());
  }
}
