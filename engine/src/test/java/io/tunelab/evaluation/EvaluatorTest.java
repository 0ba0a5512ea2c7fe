package io.tunelab.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunelab.dataset.LabeledImages;
import io.tunelab.training.CorruptCheckpointException;
import io.tunelab.training.EpochJob;
import io.tunelab.training.EpochOutcome;
import io.tunelab.training.EpochTrainer;
import io.tunelab.training.FashionMnist;
import io.tunelab.workflows.model.Device;
import io.tunelab.workflows.model.SampleShape;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("integration")
class EvaluatorTest {

  @Test
  void evaluatingTheCheckpointReproducesTheEpochsValidationMetrics() {
    LabeledImages train = FashionMnist.subset(FashionMnist.train(), 0, 600);
    LabeledImages val = FashionMnist.subset(FashionMnist.test(), 0, 300);
    EpochOutcome out =
        new EpochTrainer()
            .run(
                new EpochJob(
                    "cnn",
                    train.shape(),
                    10,
                    FashionMnist.params("adam", "none", 11, 32),
                    1,
                    1e-3,
                    train,
                    val,
                    null,
                    null,
                    null,
                    null,
                    null),
                null);

    Evaluation e = new Evaluator().evaluate(out.checkpoint(), val, Device.CPU);
    System.out.printf(
        "epoch val loss %.9f acc %.4f; evaluator loss %.9f acc %.4f%n",
        out.metrics().valLoss(), out.metrics().valAcc(), e.loss(), e.acc());
    assertEquals(out.metrics().valLoss(), e.loss(), 1e-6);
    assertEquals(out.metrics().valAcc(), e.acc(), 1e-12);
    assertTrue(e.acc() > 0.5, "a trained model beats chance: " + e.acc());

    assertEquals(300, e.predicted().length);
    double sum = 0;
    int correct = 0;
    for (int i = 0; i < 300; i++) {
      sum += e.exampleLoss()[i];
      if (e.predicted()[i] == val.label(i)) {
        correct++;
      }
      assertTrue(
          e.confidence()[i] >= 0.1f - 1e-6 && e.confidence()[i] <= 1f + 1e-6,
          "top-class probability of 10 classes: " + e.confidence()[i]);
      assertTrue(e.exampleLoss()[i] >= 0);
      if (e.predicted()[i] == val.label(i)) {
        // The loss of a correctly predicted image is -log(confidence).
        assertEquals(-Math.log(e.confidence()[i]), e.exampleLoss()[i], 1e-4);
      }
    }
    assertEquals(e.loss(), sum / 300, 1e-9);
    assertEquals(e.acc(), correct / 300.0, 1e-12);

    // Another split gives other figures; the test split as a whole is evaluable too.
    Evaluation other =
        new Evaluator()
            .evaluate(
                out.checkpoint(), FashionMnist.subset(FashionMnist.test(), 5000, 200), Device.AUTO);
    assertTrue(other.loss() != e.loss());
  }

  @Test
  void rejectsCorruptCheckpointsAndSplitsOfAnotherShape() {
    LabeledImages train = FashionMnist.subset(FashionMnist.train(), 0, 64);
    LabeledImages val = FashionMnist.subset(FashionMnist.test(), 0, 32);
    EpochOutcome out =
        new EpochTrainer()
            .run(
                new EpochJob(
                    "cnn",
                    train.shape(),
                    10,
                    FashionMnist.params("sgd", "none", 1, 32),
                    1,
                    0.01,
                    train,
                    val,
                    null,
                    null,
                    null,
                    null,
                    null),
                null);
    byte[] bad = out.checkpoint().clone();
    bad[100] ^= 1;
    assertThrows(
        CorruptCheckpointException.class, () -> new Evaluator().evaluate(bad, val, Device.CPU));
    LabeledImages rgb =
        new LabeledImages(SampleShape.image(3, 28, 28), new byte[3 * 28 * 28], new int[] {0});
    assertThrows(
        IllegalArgumentException.class,
        () -> new Evaluator().evaluate(out.checkpoint(), rgb, Device.CPU));
  }
}
