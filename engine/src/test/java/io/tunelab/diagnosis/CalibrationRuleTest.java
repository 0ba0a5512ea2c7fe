package io.tunelab.diagnosis;

import static io.tunelab.diagnosis.Fixtures.codes;
import static io.tunelab.diagnosis.Fixtures.only;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunelab.workflows.model.EpochMetrics;
import io.tunelab.workflows.model.Finding;
import io.tunelab.workflows.model.RunState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CalibrationRuleTest {
  static final int N = 5000;
  static final int K = 5;
  // accuracy keeps rising while the (shared) confidence outgrows it: val loss bottoms out at
  // epoch 5 and then rises; ECE = |acc − confidence| grows from 0.07 to 0.105
  static final double[] ACC = {0.80, 0.83, 0.85, 0.86, 0.87, 0.88, 0.885, 0.89, 0.89};
  static final double[] CONF = {0.70, 0.80, 0.86, 0.90, 0.94, 0.97, 0.985, 0.99, 0.995};

  static DiagnosisInput seedCase(boolean withPredictions) {
    List<EpochPredictions> predictions = new ArrayList<>();
    List<EpochMetrics> epochs = new ArrayList<>();
    for (int i = 0; i < ACC.length; i++) {
      EpochPredictions p = Fixtures.sameConfidence(i + 1, N, K, ACC[i], CONF[i]);
      predictions.add(p);
      epochs.add(Fixtures.metrics(p, 0.9 * Math.pow(0.75, i), 0.7 + 0.03 * i));
    }
    RunState state =
        Fixtures.state(Fixtures.balanced(K, 500, N / K), null, Fixtures.arm("scratch", epochs));
    return Fixtures.input(
        state, null, withPredictions ? Map.of("scratch", predictions) : Map.of(), null, null, null);
  }

  @Test
  void valLossUpWhileValAccuracyUpIsOverconfidenceNotOverfitting() {
    List<Finding> findings = Fixtures.run(seedCase(true));
    Finding f = only(findings, "overconfidence");
    assertEquals("warning", f.severity());
    assertTrue(
        f.evidence().contains("expected calibration error (15 bins) 0.070 at epoch 5"),
        f.evidence());
    assertTrue(f.evidence().contains("rose beyond its noise"), f.evidence());
    assertTrue(f.evidence().contains("bootstrap"), f.evidence());
    assertTrue(f.recommendation().contains("temperature scaling"), f.recommendation());
    assertFalse(codes(findings).contains("overfitting"), codes(findings).toString());
  }

  @Test
  void withoutPredictionsTheLossAccuracyPatternStillFiresAndSaysEceIsMissing() {
    Finding f = only(Fixtures.run(seedCase(false)), "overconfidence");
    assertTrue(f.evidence().contains("ECE was not measured"), f.evidence());
  }

  @Test
  void calibrationThatDoesNotWorsenIsNotOverconfidence() {
    // the same losses and accuracies, but per-image predictions whose confidence tracks the
    // accuracy exactly (ECE 0 at every epoch)
    DiagnosisInput seed = seedCase(true);
    List<EpochPredictions> calibrated = new ArrayList<>();
    for (int i = 0; i < ACC.length; i++) {
      EpochPredictions p = Fixtures.sameConfidence(i + 1, N, K, ACC[i], CONF[i]);
      float[] confidence = new float[N];
      java.util.Arrays.fill(confidence, (float) ACC[i]);
      calibrated.add(
          new EpochPredictions(p.epoch(), p.labels(), p.predicted(), confidence, p.loss()));
    }
    DiagnosisInput input =
        Fixtures.input(seed.state(), null, Map.of("scratch", calibrated), null, null, null);
    assertFalse(codes(Fixtures.run(input)).contains("overconfidence"));
  }

  @Test
  void accuracyFallingBeyondNoiseIsNotOverconfidence() {
    RunState state = OverfittingRuleTest.run("scratch", 4000, OverfittingRuleTest.TRAIN_LOSS);
    assertFalse(codes(Fixtures.run(state)).contains("overconfidence"));
  }

  @Test
  void calibrationWorseningInsideItsNoiseIsNotOverconfidence() {
    // 40 validation images: ECE moves by 0.035 from epoch 5 to 9, inside the bootstrap noise
    List<EpochPredictions> predictions = new ArrayList<>();
    List<EpochMetrics> epochs = new ArrayList<>();
    double[] conf = {0.70, 0.80, 0.86, 0.90, 0.94, 0.95, 0.96, 0.97, 0.975};
    for (int i = 0; i < ACC.length; i++) {
      EpochPredictions p = Fixtures.sameConfidence(i + 1, 40, K, 0.9, conf[i]);
      predictions.add(p);
      epochs.add(Fixtures.metrics(p, 0.9 * Math.pow(0.75, i), 0.7 + 0.03 * i));
    }
    double noise = CalibrationRule.eceChangeNoise(predictions.get(4), predictions.get(8));
    assertTrue(noise > 0.035, "noise " + noise);
    RunState state =
        Fixtures.state(Fixtures.balanced(K, 500, 8), null, Fixtures.arm("scratch", epochs));
    assertFalse(
        codes(
                Fixtures.run(
                    Fixtures.input(state, null, Map.of("scratch", predictions), null, null, null)))
            .contains("overconfidence"));
  }

  /**
   * 750 validation images, 675 right and 75 wrong at every epoch: the right ones grow more
   * confident (loss 0.06 → 0.04), the wrong ones more confidently wrong (loss about 2.0 → 2.35,
   * varying by image); the mean loss rises 7% from epoch 4, inside the 10% a rise needs on its own,
   * and ECE (right and wrong fall in different bins) even improves.
   */
  static List<EpochPredictions> confidentlyWrong(double lastWrongLoss, double lastRightLoss) {
    int n = 750;
    double[] wrongLoss = {2.6, 2.3, 2.1, 2.0, 2.1, 2.2, 2.3, lastWrongLoss};
    double[] rightLoss = {0.30, 0.15, 0.08, 0.06, 0.05, 0.045, 0.042, lastRightLoss};
    double[] wrongConf = {0.60, 0.68, 0.72, 0.75, 0.76, 0.77, 0.775, 0.78};
    List<EpochPredictions> out = new ArrayList<>();
    for (int e = 0; e < wrongLoss.length; e++) {
      int[] labels = new int[n];
      int[] predicted = new int[n];
      float[] confidence = new float[n];
      float[] loss = new float[n];
      for (int i = 0; i < n; i++) {
        labels[i] = i % K;
        boolean wrong = i % 10 == 0;
        predicted[i] = wrong ? (labels[i] + 1) % K : labels[i];
        double spread = ((i * 37) % 11 - 5) / 10.0;
        confidence[i] = (float) (wrong ? wrongConf[e] : Math.exp(-rightLoss[e]));
        loss[i] = (float) (wrong ? wrongLoss[e] + spread : rightLoss[e]);
      }
      out.add(new EpochPredictions(e + 1, labels, predicted, confidence, loss));
    }
    return out;
  }

  private static DiagnosisInput confidentlyWrongRun(double lastWrongLoss, double lastRightLoss) {
    List<EpochPredictions> predictions = confidentlyWrong(lastWrongLoss, lastRightLoss);
    List<EpochMetrics> epochs = new ArrayList<>();
    for (EpochPredictions p : predictions) {
      epochs.add(Fixtures.metrics(p, 0.8 * Math.pow(0.5, p.epoch() - 1), 0.75 + 0.03 * p.epoch()));
    }
    RunState state =
        Fixtures.state(Fixtures.balanced(K, 600, 150), null, Fixtures.arm("finetune", epochs));
    return Fixtures.input(state, null, Map.of("finetune", predictions), null, null, null);
  }

  /** The validation loss rose 5-10% from its minimum (epoch 4) to the last epoch (8). */
  private static void assertModestRise(DiagnosisInput input) {
    List<EpochMetrics> epochs = input.state().arms().get("finetune").epochs();
    double rise = epochs.get(7).valLoss() / epochs.get(3).valLoss() - 1;
    assertTrue(rise > 0.05 && rise < 0.10, "rise " + rise);
  }

  private static ConfidentErrors minToLast(DiagnosisInput input) {
    List<EpochPredictions> p = input.validation().get("finetune");
    return ConfidentErrors.of(p.get(3), p.get(7));
  }

  @Test
  void aModestRiseFromConfidentlyWrongImagesIsOverconfidence() {
    DiagnosisInput input = confidentlyWrongRun(2.35, 0.04);
    assertModestRise(input);
    ConfidentErrors errors = minToLast(input);
    assertEquals(75, errors.wrongBoth());
    assertEquals(0.35, errors.wrongChange(), 1e-4);
    assertTrue(errors.grewBeyondNoise(), errors.toString());
    Finding f = only(Fixtures.run(input), "overconfidence");
    assertTrue(
        f.evidence()
            .contains(
                "on the 75 validation images wrong at both epoch 4 and epoch 8"
                    + " the loss rose +0.350"),
        f.evidence());
    assertTrue(f.evidence().contains("more confidently wrong"), f.evidence());
  }

  @Test
  void aModestRiseWithoutConfidentErrorsIsNoFinding() {
    // the same 7% rise, but from the right images growing less sure (loss 0.06 -> 0.08) while
    // the wrong ones' loss is back where it was at the minimum
    DiagnosisInput input = confidentlyWrongRun(2.0, 0.08);
    assertModestRise(input);
    assertFalse(minToLast(input).grewBeyondNoise());
    assertFalse(codes(Fixtures.run(input)).contains("overconfidence"));
  }
}
