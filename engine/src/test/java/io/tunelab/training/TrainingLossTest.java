package io.tunelab.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.loss.Loss;
import io.tunelab.dataset.Augmenter;
import io.tunelab.dataset.LabeledImages;
import io.tunelab.workflows.model.Device;
import io.tunelab.workflows.model.Optimizer;
import io.tunelab.workflows.model.TrainingParams;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("integration")
class TrainingLossTest {
  private static final float[][] LOGITS = {
    {2f, 0.5f, -1f}, {0.1f, 0.2f, 3f}, {1f, 1f, 1f}, {-2f, 4f, 0f}
  };
  private static final float[] LABELS = {0, 2, 1, 0};

  private static double evaluate(Loss loss) {
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray logits = m.create(LOGITS);
      NDArray labels = m.create(LABELS);
      return loss.evaluate(new NDList(labels), new NDList(logits)).getFloat();
    }
  }

  /** Cross-entropy of row i against a target distribution, by hand. */
  private static double crossEntropy(int i, double[] target) {
    double max = Double.NEGATIVE_INFINITY;
    for (float v : LOGITS[i]) {
      max = Math.max(max, v);
    }
    double sum = 0;
    for (float v : LOGITS[i]) {
      sum += Math.exp(v - max);
    }
    double loss = 0;
    for (int j = 0; j < 3; j++) {
      loss -= target[j] * (LOGITS[i][j] - max - Math.log(sum));
    }
    return loss;
  }

  @Test
  void plainLossEqualsDjlSoftmaxCrossEntropy() {
    assertEquals(
        evaluate(Loss.softmaxCrossEntropyLoss()), evaluate(new TrainingLoss(3, 0, null)), 1e-6);
  }

  @Test
  void smoothingAndWeightsMatchTheirDefinitions() {
    double e = 0.1;
    double smoothed = 0;
    double weightedSum = 0;
    double weightSum = 0;
    float[] w = {2f, 1f, 0.5f};
    for (int i = 0; i < LABELS.length; i++) {
      double[] q = new double[3];
      double[] onehot = new double[3];
      for (int j = 0; j < 3; j++) {
        q[j] = e / 3 + (j == (int) LABELS[i] ? 1 - e : 0);
        onehot[j] = j == (int) LABELS[i] ? 1 : 0;
      }
      smoothed += crossEntropy(i, q) / LABELS.length;
      weightedSum += w[(int) LABELS[i]] * crossEntropy(i, onehot);
      weightSum += w[(int) LABELS[i]];
    }
    assertEquals(smoothed, evaluate(new TrainingLoss(3, e, null)), 1e-5);
    assertEquals(weightedSum / weightSum, evaluate(new TrainingLoss(3, 0, w)), 1e-5);
  }

  @Test
  void inverseFrequencyWeightsBalanceTheClasses() {
    float[] w = TrainingLoss.inverseFrequency(new int[] {0, 0, 0, 1}, 3);
    assertArrayEquals(new float[] {4f / 9, 4f / 3, 0f}, w, 1e-6f);
  }

  @Test
  void anEpochTrainsWithSmoothingWeightsAndAnotherHeadDropout() {
    LabeledImages train = FashionMnist.subset(FashionMnist.train(), 0, 200, 0, 2);
    LabeledImages val = FashionMnist.subset(FashionMnist.train(), 4000, 60, 0, 2);
    TrainingParams params =
        TrainingParams.builder()
            .epochs(1)
            .batchSize(32)
            .learningRate(1e-3)
            .optimizer(Optimizer.ADAM)
            .seed(1)
            .device(Device.CPU)
            .headDropout(0.5)
            .labelSmoothing(0.1)
            .classWeighted(true)
            .build();
    EpochOutcome outcome =
        new EpochTrainer()
            .run(
                new EpochJob(
                    "cnn",
                    train.shape(),
                    3,
                    params,
                    1,
                    1e-3,
                    train,
                    val,
                    null,
                    null,
                    Augmenter.NONE,
                    null,
                    null),
                StepListener.NONE);
    assertTrue(Double.isFinite(outcome.metrics().trainLoss()));
    assertTrue(outcome.metrics().valAcc() > 0.4, "learns: " + outcome.metrics());
  }
}
