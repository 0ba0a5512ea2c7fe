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

class UnderfittingRuleTest {

  static RunState run(String arm, double[] trainLoss, double[] trainAcc) {
    List<EpochMetrics> curve = Fixtures.curve(trainLoss, trainAcc, trainLoss, trainAcc);
    return Fixtures.state(Fixtures.balanced(5, 300, 200), null, Fixtures.arm(arm, curve));
  }

  @Test
  void trainingLossNearGuessingIsUnderfitting() {
    // ln 5 = 1.609; the limit is 75% of it (1.207); chance 0.2, accuracy limit 0.4
    Finding f =
        only(
            Fixtures.run(
                run(
                    "finetune",
                    new double[] {1.58, 1.55, 1.52, 1.50},
                    new double[] {0.24, 0.26, 0.28, 0.29})),
            "underfitting");
    assertEquals("warning", f.severity());
    assertTrue(f.evidence().contains("ln(5) = 1.6094"), f.evidence());
    assertTrue(f.evidence().contains("vs chance 0.200"), f.evidence());
    assertTrue(f.recommendation().contains("--freeze none"), f.recommendation());
    assertTrue(f.recommendation().contains("--lr 0.030"), f.recommendation());
  }

  @Test
  void stillFallingFastRecommendsMoreEpochs() {
    Finding f =
        only(
            Fixtures.run(
                run(
                    "scratch",
                    new double[] {1.60, 1.50, 1.35, 1.25},
                    new double[] {0.22, 0.30, 0.35, 0.38})),
            "underfitting");
    assertTrue(f.recommendation().contains("--epochs 8"), f.recommendation());
    assertFalse(f.recommendation().contains("--freeze"), f.recommendation());
  }

  @Test
  void aRateTooHighIsToBeLoweredNotRaised() {
    // A real sgd 0.3 run: the loss exploded in epoch 1 and the network died near chance.
    List<Finding> findings =
        Fixtures.run(
            run(
                "finetune",
                new double[] {27.45, 1.643, 1.634, 1.642, 1.660, 1.645, 1.664, 1.644, 1.651, 1.649},
                new double[] {
                  0.185, 0.196, 0.195, 0.199, 0.191, 0.203, 0.190, 0.193, 0.191, 0.191
                }));
    Finding tooHigh = only(findings, "lr-too-high");
    Finding f = only(findings, "underfitting");
    assertTrue(
        f.recommendation().contains("learning rate is too high (see lr-too-high)"),
        f.recommendation());
    String lower = tooHigh.recommendation().substring(0, tooHigh.recommendation().indexOf(". "));
    assertTrue(lower.startsWith("Lower the learning rate: --lr "), lower);
    assertTrue(f.recommendation().contains(lower + " first"), f.recommendation());
    assertFalse(f.recommendation().contains("Raise"), f.recommendation());
    assertFalse(f.recommendation().contains("still falls"), f.recommendation());
  }

  @Test
  void aModelThatFitsIsNotUnderfitting() {
    // below both limits: loss 1.0 < 1.207, accuracy 0.45 > 0.4
    assertFalse(
        codes(
                Fixtures.run(
                    run("scratch", new double[] {1.4, 1.2, 1.0}, new double[] {0.35, 0.40, 0.45})))
            .contains("underfitting"));
  }

  @Test
  void oneEpochIsTooEarlyToTell() {
    assertFalse(
        codes(Fixtures.run(run("scratch", new double[] {1.6}, new double[] {0.2})))
            .contains("underfitting"));
  }
}
