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
    RunState state = Fixtures.state(Fixtures.balanced(K, 500, N / K), null,
        Fixtures.arm("scratch", epochs));
    return Fixtures.input(state, null,
        withPredictions ? Map.of("scratch", predictions) : Map.of(), null, null, null);
  }

  @Test
  void valLossUpWhileValAccuracyUpIsOverconfidenceNotOverfitting() {
    List<Finding> findings = Fixtures.run(seedCase(true));
    Finding f = only(findings, "overconfidence");
    assertEquals("warning", f.severity());
    assertTrue(f.evidence().contains("expected calibration error (15 bins) 0.070 at epoch 5"),
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
      calibrated.add(new EpochPredictions(p.epoch(), p.labels(), p.predicted(), confidence, p.loss()));
    }
    DiagnosisInput input = Fixtures.input(seed.state(), null, Map.of("scratch", calibrated), null,
        null, null);
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
    RunState state = Fixtures.state(Fixtures.balanced(K, 500, 8), null,
        Fixtures.arm("scratch", epochs));
    assertFalse(codes(Fixtures.run(Fixtures.input(state, null, Map.of("scratch", predictions),
        null, null, null))).contains("overconfidence"));
  }
}
