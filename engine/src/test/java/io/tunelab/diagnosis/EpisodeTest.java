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
import org.junit.jupiter.api.Test;

class EpisodeTest {
  /**
   * The curve: 30 epochs, minimum 0.50 at epoch 9, a rise to +15% at epoch 12 that is
   * beyond the noise band (about ±0.028 for 5,000 validation images) from epoch 10 to 14, back
   * under it at epoch 15, below the old minimum from epoch 18 and down to 0.47 at the end.
   */
  static final double[] VAL_LOSS = {
    1.20, 0.95, 0.80, 0.70, 0.63, 0.58, 0.55, 0.52, 0.50, 0.53, 0.55, 0.575, 0.57, 0.54, 0.52, 0.51,
    0.505, 0.498, 0.495, 0.493, 0.491, 0.489, 0.487, 0.485, 0.483, 0.480, 0.478, 0.476, 0.473, 0.470
  };

  /** The curve with a cosine-decaying rate from 0.01, or a constant one, on a validation set. */
  static RunState run(double[] valLoss, boolean cosine, int valPerClass) {
    int n = valLoss.length;
    List<EpochMetrics> epochs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      double lr = cosine ? Fixtures.LR * 0.5 * (1 + Math.cos(Math.PI * i / n)) : Fixtures.LR;
      epochs.add(
          new EpochMetrics(
              i + 1, 1.0 * Math.pow(0.9, i), 0.6 + 0.013 * i, valLoss[i], 0.80, lr, 1.0));
    }
    return Fixtures.state(
        Fixtures.balanced(5, 300, valPerClass), null, Fixtures.arm("scratch", epochs));
  }

  @Test
  void aRiseThatRecoversAsTheRateDecaysIsAnInfoEpisode() {
    List<Finding> findings = Fixtures.run(run(VAL_LOSS, true, 1000));
    Finding f = only(findings, "overfitting");
    assertEquals("info", f.severity());
    assertEquals("scratch", f.arm());
    assertEquals(
        "Validation loss rose from epoch 10 to 14 and recovered as the learning rate fell",
        f.title());
    assertTrue(f.evidence().startsWith("val loss minimum 0.5000 at epoch 9"), f.evidence());
    assertTrue(f.evidence().contains("peak 0.5750 at epoch 12 (+0.0750, 15.0%"), f.evidence());
    assertTrue(f.evidence().contains("back under that at epoch 15"), f.evidence());
    assertTrue(f.evidence().contains("learning rate 0.0079 at epoch 10, 0.0055 at epoch 15"));
    // an early stop with a short patience would have kept epoch 9 instead of epoch 30
    assertTrue(
        f.recommendation().contains("--early-stopping-patience below 9 it stops by epoch 17"),
        f.recommendation());
    assertTrue(f.recommendation().contains("instead of epoch 30"), f.recommendation());
    assertEquals("healthy", findings.get(0).code(), codes(findings).toString());
  }

  @Test
  void atAConstantRateTheEpisodeSaysSo() {
    Finding f = only(Fixtures.run(run(VAL_LOSS, false, 1000)), "overfitting");
    assertEquals(
        "Validation loss rose from epoch 10 to 14 and recovered at an unchanged learning rate",
        f.title());
  }

  @Test
  void theSameRiseWithinTheNoiseOfASmallValidationSetIsNothing() {
    // 100 validation images: the band is about ±0.20, the rise 0.075
    assertFalse(codes(Fixtures.run(run(VAL_LOSS, true, 20))).contains("overfitting"));
  }

  @Test
  void aRiseWithinNoiseIsNoEpisode() {
    double[] small = VAL_LOSS.clone();
    for (int i = 9; i < 14; i++) {
      small[i] = 0.51; // 2% above the minimum
    }
    assertFalse(codes(Fixtures.run(run(small, true, 1000))).contains("overfitting"));
  }

  @Test
  void aSingleEpochAboveTheBandIsNoEpisode() {
    double[] spike = VAL_LOSS.clone();
    spike[9] = 0.49;
    spike[10] = 0.58;
    spike[11] = 0.49;
    spike[12] = 0.488;
    spike[13] = 0.487;
    spike[14] = 0.486;
    spike[15] = 0.486;
    spike[16] = 0.486;
    spike[17] = 0.486;
    RunState state = run(spike, true, 1000);
    ArmView arm = new DiagnosisContext(DiagnosisInput.of(state)).arms.get(0);
    assertTrue(Episode.of(arm).isEmpty());
  }

  @Test
  void aTwoEpochBumpIsASwingNotAnEpisode() {
    // beyond the band at epochs 10 and 11 only (+10%, +14%), back at epoch 12
    double[] bump = VAL_LOSS.clone();
    bump[9] = 0.55;
    bump[10] = 0.57;
    bump[11] = 0.51;
    bump[12] = 0.505;
    bump[13] = 0.502;
    RunState state = run(bump, true, 1000);
    ArmView arm = new DiagnosisContext(DiagnosisInput.of(state)).arms.get(0);
    assertTrue(Episode.of(arm).isEmpty());
    assertFalse(codes(Fixtures.run(state)).contains("overfitting"));
  }

  @Test
  void aRiseThatLastsToTheEndIsTheEndStateNotAnEpisode() {
    double[] rising = VAL_LOSS.clone();
    for (int i = 14; i < rising.length; i++) {
      rising[i] = 0.58 + 0.002 * i;
    }
    RunState state = run(rising, true, 1000);
    ArmView arm = new DiagnosisContext(DiagnosisInput.of(state)).arms.get(0);
    assertTrue(Episode.of(arm).isEmpty());
    Finding f = only(Fixtures.run(state), "overfitting");
    assertEquals("warning", f.severity());
    assertTrue(f.evidence().startsWith("onset at epoch 10"), f.evidence());
  }
}
