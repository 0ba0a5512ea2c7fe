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
import java.util.Map;
import org.junit.jupiter.api.Test;

class OverfittingRuleTest {
  // minimum 0.45 at epoch 4, then +0.02, +0.04, +0.05, +0.06; accuracy slips by 0.01
  static final double[] VAL_LOSS = {0.80, 0.60, 0.50, 0.45, 0.47, 0.49, 0.50, 0.51};
  static final double[] VAL_ACC = {0.70, 0.78, 0.82, 0.84, 0.83, 0.83, 0.83, 0.83};
  static final double[] TRAIN_LOSS = Fixtures.falling(8, 1.0, 0.7);
  static final double[] TRAIN_ACC = {0.65, 0.75, 0.82, 0.87, 0.90, 0.93, 0.95, 0.97};

  static RunState run(String arm, int valPerClass, double[] trainLoss) {
    List<EpochMetrics> curve = Fixtures.curve(trainLoss, TRAIN_ACC, VAL_LOSS, VAL_ACC);
    return Fixtures.state(Fixtures.balanced(5, 300, valPerClass), null, Fixtures.arm(arm, curve));
  }

  @Test
  void riseInsideTheNoiseBandIsNotOverfitting() {
    // 100 validation images: the band at the minimum is about ±0.20, the rise 0.06
    List<Finding> findings = Fixtures.run(run("scratch", 20, TRAIN_LOSS));
    assertFalse(codes(findings).contains("overfitting"), codes(findings).toString());
  }

  @Test
  void sameRiseWithALargeValidationSetIsOverfittingWithItsOnset() {
    // 20,000 validation images: the band is about ±0.014; epoch 5 (+0.02) is beyond it but only
    // 4.4% above the minimum, under the 5% that counts, so epoch 6 (+0.04) is the onset
    List<Finding> findings = Fixtures.run(run("scratch", 4000, TRAIN_LOSS));
    Finding f = only(findings, "overfitting");
    assertEquals("warning", f.severity());
    assertEquals("scratch", f.arm());
    assertTrue(f.evidence().startsWith("onset at epoch 6"), f.evidence());
    assertTrue(f.evidence().contains("minimum 0.4500"), f.evidence());
    assertTrue(f.recommendation().contains("epoch 4"), f.recommendation());
    assertFalse(codes(findings).contains("overconfidence"), "accuracy fell beyond its noise");
  }

  @Test
  void noOverfittingWhenTrainingLossDoesNotKeepFalling() {
    double[] flat = {1.0, 0.7, 0.5, 0.4, 0.42, 0.44, 0.45, 0.46};
    assertFalse(codes(Fixtures.run(run("scratch", 4000, flat))).contains("overfitting"));
  }

  @Test
  void aSingleEpochAboveTheBandIsNotSustained() {
    double[] valLoss = {0.80, 0.60, 0.50, 0.45, 0.455, 0.452, 0.458, 0.50};
    List<EpochMetrics> curve = Fixtures.curve(TRAIN_LOSS, TRAIN_ACC, valLoss, VAL_ACC);
    RunState state =
        Fixtures.state(Fixtures.balanced(5, 300, 4000), null, Fixtures.arm("scratch", curve));
    assertFalse(codes(Fixtures.run(state)).contains("overfitting"));
  }

  @Test
  void fineTuneArmRisingFromTheStartIsLowInitialRisingValLoss() {
    double[] valLoss = {0.30, 0.33, 0.35, 0.37, 0.40, 0.42};
    double[] valAcc = {0.90, 0.89, 0.89, 0.88, 0.88, 0.88};
    double[] trainLoss = Fixtures.falling(6, 0.4, 0.7);
    double[] trainAcc = {0.88, 0.91, 0.93, 0.95, 0.96, 0.97};
    List<EpochMetrics> curve = Fixtures.curve(trainLoss, trainAcc, valLoss, valAcc);
    RunState state =
        Fixtures.state(
            Fixtures.balanced(5, 300, 2000),
            null,
            Fixtures.arm("finetune", curve),
            Fixtures.arm("scratch", curve));
    List<Finding> findings = Fixtures.run(state);
    Finding f = only(findings, "low-initial-rising-val-loss");
    assertEquals("finetune", f.arm());
    assertTrue(f.evidence().contains("at epoch 1"), f.evidence());
    assertTrue(f.recommendation().contains("--lr 0.0010"), f.recommendation());
    assertTrue(f.recommendation().contains("--freeze backbone"), f.recommendation());
    // the same curve in the scratch arm is plain overfitting
    Finding scratch = only(findings, "overfitting");
    assertEquals("scratch", scratch.arm());
  }

  /** A fine-tune arm with these validation losses, flat accuracy, falling training loss. */
  private static RunState fineTune(double... valLoss) {
    int n = valLoss.length;
    List<EpochMetrics> curve =
        Fixtures.curve(
            Fixtures.falling(n, 0.8, 0.8),
            Fixtures.constant(n, 0.95),
            valLoss,
            Fixtures.constant(n, 0.88));
    return Fixtures.state(Fixtures.balanced(5, 300, 2000), null, Fixtures.arm("finetune", curve));
  }

  /**
   * A fine-tune whose head was reused for every class: epoch 0 (the pretrained model, evaluated
   * before training) at {@code start}, then trained epochs at these validation losses.
   */
  private static RunState fromStart(double start, int valPerClass, double... valLoss) {
    int n = valLoss.length;
    List<EpochMetrics> curve = new java.util.ArrayList<>();
    curve.add(Fixtures.e(0, 0.30, 0.90, start, 0.89));
    curve.addAll(
        Fixtures.curve(
            Fixtures.falling(n, 0.6, 0.85),
            Fixtures.constant(n, 0.9),
            valLoss,
            Fixtures.constant(n, 0.87)));
    return Fixtures.state(
        Fixtures.balanced(5, 300, valPerClass), null, Fixtures.arm("finetune", curve));
  }

  @Test
  void aFineTuneThatNeverBeatsItsStartIsLowInitialRisingFromEpochZero() {
    // 2,000 validation images: every trained epoch 0.09-0.12 above the start's 0.30, far beyond
    // its band; among themselves the trained epochs are flat (no overfitting, no minimum at 1)
    List<Finding> findings = Fixtures.run(fromStart(0.30, 400, 0.42, 0.40, 0.39, 0.39, 0.40, 0.40));
    Finding f = only(findings, "low-initial-rising-val-loss");
    assertEquals("warning", f.severity());
    assertEquals("finetune", f.arm());
    assertTrue(f.title().contains("before fine-tuning"), f.title());
    assertTrue(f.evidence().startsWith("epoch 0 is the pretrained model"), f.evidence());
    assertTrue(f.evidence().contains("minimum 0.3000 at epoch 0"), f.evidence());
    assertTrue(f.evidence().contains("the best fine-tuned epoch, 3, 0.3900"), f.evidence());
    assertTrue(f.recommendation().contains("best fine-tuned epoch (3)"), f.recommendation());
    assertTrue(f.recommendation().contains("--freeze backbone"), f.recommendation());
    assertFalse(codes(findings).contains("overfitting"), codes(findings).toString());
  }

  @Test
  void aStartThatATrainedEpochBeatsIsNoFindingOfItsOwn() {
    // Fine-tuning went below the start (0.33 < 0.40) and stayed there: a healthy fine-tune
    List<Finding> findings = Fixtures.run(fromStart(0.40, 400, 0.45, 0.36, 0.33, 0.33, 0.34, 0.33));
    assertFalse(
        codes(findings).contains("low-initial-rising-val-loss"), codes(findings).toString());
  }

  @Test
  void aStartWithinTheNoiseOfTheTrainedEpochsIsSilent() {
    // 50 validation images: the band at 0.30 is far wider than the 0.02-0.03 the epochs sit above
    List<Finding> findings = Fixtures.run(fromStart(0.30, 10, 0.33, 0.32, 0.32, 0.33, 0.32, 0.33));
    assertFalse(
        codes(findings).contains("low-initial-rising-val-loss"), codes(findings).toString());
  }

  @Test
  void aLongFineTuneWhoseNewHeadSettledByEpochThreeIsBothReadings() {
    // 15 epochs: the new head settles in epochs 1-3, then the loss climbs for twelve epochs
    List<Finding> findings =
        Fixtures.run(
            fineTune(
                0.60, 0.40, 0.30, 0.32, 0.34, 0.36, 0.37, 0.38, 0.40, 0.41, 0.42, 0.43, 0.44, 0.45,
                0.46));
    assertTrue(
        only(findings, "low-initial-rising-val-loss").recommendation().contains("epoch 3"),
        codes(findings).toString());
    assertEquals("finetune", only(findings, "overfitting").arm());
    assertEquals(3, OverfittingRule.startEpochs(15));
    assertEquals(3, OverfittingRule.startEpochs(12));
    assertEquals(2, OverfittingRule.startEpochs(8));
    assertEquals(1, OverfittingRule.startEpochs(7));
    assertEquals(3, OverfittingRule.startEpochs(40));
  }

  @Test
  void aShortFineTuneWithItsMinimumAtEpochTwoIsOverfittingOnly() {
    List<Finding> findings = Fixtures.run(fineTune(0.60, 0.30, 0.33, 0.35, 0.37, 0.40, 0.42));
    assertTrue(codes(findings).contains("overfitting"), codes(findings).toString());
    assertFalse(
        codes(findings).contains("low-initial-rising-val-loss"), codes(findings).toString());
  }

  @Test
  void lowInitialRiseInsideTheBandIsSilent() {
    double[] valLoss = {0.30, 0.31, 0.32, 0.32, 0.33, 0.33};
    double[] valAcc = {0.90, 0.90, 0.89, 0.90, 0.89, 0.89};
    List<EpochMetrics> curve =
        Fixtures.curve(Fixtures.falling(6, 0.4, 0.7), Fixtures.constant(6, 0.95), valLoss, valAcc);
    RunState state =
        Fixtures.state(Fixtures.balanced(5, 300, 30), null, Fixtures.arm("finetune", curve));
    assertFalse(codes(Fixtures.run(state)).contains("low-initial-rising-val-loss"));
  }

  @Test
  void pretrainArmIsReportedAsScratch() {
    List<Finding> findings = Fixtures.run(run("pretrain", 4000, TRAIN_LOSS));
    assertEquals("scratch", only(findings, "overfitting").arm());
  }

  /**
   * 750 validation images whose losses spread widely (85% easy at 0.05, 15% hard at 1.8: mean 0.31,
   * sd 0.63), every image's loss growing by the same {@code rise} fraction after epoch 4.
   */
  static EpochPredictions spreadLosses(int epoch, double rise) {
    int n = 750;
    int[] labels = new int[n];
    int[] predicted = new int[n];
    float[] confidence = new float[n];
    float[] loss = new float[n];
    for (int i = 0; i < n; i++) {
      labels[i] = i % 5;
      boolean hard = i % 20 < 3;
      predicted[i] = hard ? (labels[i] + 1) % 5 : labels[i];
      loss[i] = (float) ((hard ? 1.8 : 0.05) * (1 + rise));
      confidence[i] = (float) (hard ? 0.6 : Math.exp(-loss[i]));
    }
    return new EpochPredictions(epoch, labels, predicted, confidence, loss);
  }

  @Test
  void aRiseOnTheSameImagesIsOverfittingEvenInsideEachEpochsOwnBand() {
    // +12% by the end: 0.0375 above the minimum, inside the unpaired bootstrap band (about
    // ±0.045) of one epoch, but every image's loss rose, so the paired change is far beyond noise
    double[] rise = {0.60, 0.30, 0.10, 0, 0.03, 0.06, 0.09, 0.12};
    List<EpochPredictions> predictions = new java.util.ArrayList<>();
    List<EpochMetrics> epochs = new java.util.ArrayList<>();
    for (int i = 0; i < rise.length; i++) {
      EpochPredictions p = spreadLosses(i + 1, rise[i]);
      predictions.add(p);
      epochs.add(Fixtures.metrics(p, TRAIN_LOSS[i], TRAIN_ACC[i]));
    }
    RunState state =
        Fixtures.state(Fixtures.balanced(5, 300, 150), null, Fixtures.arm("scratch", epochs));
    double unpaired = new NoiseBand(750, Map.of(4, predictions.get(3))).loss(epochs.get(3));
    assertTrue(
        epochs.get(7).valLoss() - epochs.get(3).valLoss() < unpaired,
        "the rise is inside one epoch's band: " + unpaired);
    Finding f =
        only(
            Fixtures.run(
                Fixtures.input(state, null, Map.of("scratch", predictions), null, null, null)),
            "overfitting");
    assertTrue(f.evidence().contains("paired 95% noise"), f.evidence());
    assertTrue(f.evidence().startsWith("onset at epoch 6"), f.evidence());
    // without per-image losses only the unpaired band is left, and the rise stays inside it
    assertFalse(codes(Fixtures.run(state)).contains("overfitting"));
  }

  /**
   * The curve with 5,000 validation images, no per-image losses: minimum 0.45 at epoch 4,
   * then epochs 6–8 at {@code times} the analytic noise band of the minimum above it (epoch 5 at
   * half that); accuracy slips by 0.01, so the rise is no calibration effect.
   */
  static RunState riseOfNoiseBands(double times) {
    double band = NoiseBand.analyticLossHalfWidth(0.45, 0.84, 5000);
    double top = 0.45 + times * band;
    double[] valLoss = {0.80, 0.60, 0.50, 0.45, 0.45 + times * band / 2, top, top, top};
    List<EpochMetrics> curve = Fixtures.curve(TRAIN_LOSS, TRAIN_ACC, valLoss, VAL_ACC);
    return Fixtures.state(Fixtures.balanced(5, 300, 1000), null, Fixtures.arm("scratch", curve));
  }

  @Test
  void aRiseJustBelowOneAndAHalfTimesItsNoiseIsInfo() {
    // the band (about ±0.029) is above the 5% floor (0.0225), so it is the threshold
    Finding f = only(Fixtures.run(riseOfNoiseBands(1.45)), "overfitting");
    assertEquals("info", f.severity());
    assertTrue(
        f.evidence().contains("1.45× the noise band: within 1.5× of it, so info"), f.evidence());
  }

  @Test
  void aRiseJustAboveOneAndAHalfTimesItsNoiseIsAWarning() {
    List<Finding> findings = Fixtures.run(riseOfNoiseBands(1.55));
    Finding f = only(findings, "overfitting");
    assertEquals("warning", f.severity());
    assertTrue(f.evidence().contains("1.55× the noise band;"), f.evidence());
    assertFalse(codes(findings).contains("healthy"));
  }

  /**
   * 300 validation images (60 per class), 80% right at every epoch: the right ones at loss 0.1
   * (confidence 0.9), the wrong ones at 2.0 (confidence 0.7), mean 0.48. At a fraction {@code t} of
   * the rise every wrong image's loss moves by t × (0.24 ± 0.85) and its confidence to 0.7 + 0.1t
   * (more confidently wrong), every right one's by t × ± 0.05: the mean ends 10% above the minimum
   * at about 1.07× the paired noise of the change. Before the minimum every loss is higher by
   * {@code -t}.
   */
  static EpochPredictions edgeOfNoise(int epoch, double t) {
    int n = 300;
    int[] labels = new int[n];
    int[] predicted = new int[n];
    float[] confidence = new float[n];
    float[] loss = new float[n];
    for (int i = 0; i < n; i++) {
      labels[i] = i % 5;
      boolean wrong = i < 60;
      double sign = i % 2 == 0 ? 1 : -1;
      predicted[i] = wrong ? (labels[i] + 1) % 5 : labels[i];
      if (t < 0) {
        loss[i] = (float) ((wrong ? 2.0 : 0.1) - t);
        confidence[i] = (float) (wrong ? 0.7 : Math.exp(-loss[i]));
      } else if (wrong) {
        loss[i] = (float) (2.0 + t * (0.24 + 0.85 * sign));
        confidence[i] = (float) (0.7 + 0.1 * t);
      } else {
        loss[i] = (float) (0.1 + t * 0.05 * sign);
        confidence[i] = (float) Math.exp(-loss[i]);
      }
    }
    return new EpochPredictions(epoch, labels, predicted, confidence, loss);
  }

  @Test
  void tenPercentAboveTheMinimumAtTheEdgeOfThePairedNoiseIsInfoAtMost() {
    // the case: a scratch arm on a clean 300-per-class target whose validation loss ends
    // 10% above its minimum at about 1.0× the paired noise
    double[] t = {-0.5, -0.3, -0.1, 0, 0.5, 1, 1, 1};
    List<EpochPredictions> predictions = new java.util.ArrayList<>();
    List<EpochMetrics> epochs = new java.util.ArrayList<>();
    for (int i = 0; i < t.length; i++) {
      EpochPredictions p = edgeOfNoise(i + 1, t[i]);
      predictions.add(p);
      epochs.add(Fixtures.metrics(p, TRAIN_LOSS[i], TRAIN_ACC[i]));
    }
    RunState state =
        Fixtures.state(Fixtures.balanced(5, 300, 60), null, Fixtures.arm("scratch", epochs));
    NoiseBand band = new NoiseBand(300, Map.of(4, predictions.get(3), 8, predictions.get(7)));
    NoiseBand.Change change = band.lossChange(epochs.get(3), epochs.get(7));
    double ratio = change.delta() / change.halfWidth();
    assertTrue(change.paired() && ratio > 1 && ratio < 1.15, "ratio " + ratio);
    assertEquals(0.10, change.delta() / epochs.get(3).valLoss(), 0.002);
    List<Finding> findings =
        Fixtures.run(Fixtures.input(state, null, Map.of("scratch", predictions), null, null, null));
    Finding overfitting = only(findings, "overfitting");
    Finding overconfidence = only(findings, "overconfidence");
    assertEquals("info", overfitting.severity(), overfitting.evidence());
    assertEquals("info", overconfidence.severity(), overconfidence.evidence());
    assertTrue(
        overfitting.evidence().contains("× the paired noise: within 1.5× of it, so info"),
        overfitting.evidence());
    assertTrue(
        overconfidence.evidence().contains("the weaker evidence is 1.0"),
        overconfidence.evidence());
    assertEquals("healthy", findings.get(0).code(), codes(findings).toString());
  }
}
