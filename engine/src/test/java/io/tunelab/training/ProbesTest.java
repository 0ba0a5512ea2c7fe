package io.tunelab.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunelab.dataset.Augmenter;
import io.tunelab.dataset.LabeledImages;
import io.tunelab.workflows.model.Device;
import io.tunelab.workflows.model.Optimizer;
import io.tunelab.workflows.model.TrainingParams;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The diagnosis probes on real Fashion-MNIST images. */
@Tag("integration")
class ProbesTest {
  private final EpochTrainer trainer = new EpochTrainer();

  @Test
  void foldsAreStratifiedAndCoverEveryImage() {
    LabeledImages images = FashionMnist.subset(FashionMnist.train(), 0, 300, 0, 2);
    int[] fold = Probes.folds(images, 3, 1);
    int[][] perClassPerFold = new int[3][3];
    for (int i = 0; i < images.size(); i++) {
      perClassPerFold[images.label(i)][fold[i]]++;
    }
    for (int[] classFolds : perClassPerFold) {
      int min = Math.min(classFolds[0], Math.min(classFolds[1], classFolds[2]));
      int max = Math.max(classFolds[0], Math.max(classFolds[1], classFolds[2]));
      assertTrue(max - min <= 1, "balanced folds per class");
    }
  }

  @Test
  void outOfSampleProbabilitiesFlagFlippedLabels() {
    LabeledImages clean = FashionMnist.subset(FashionMnist.train(), 0, 600, 0, 2);
    int[] labels = clean.labels().clone();
    int flipped = 0;
    boolean[] isFlipped = new boolean[labels.length];
    for (int i = 0; i < labels.length; i += 10) {
      labels[i] = (labels[i] + 1) % 3;
      isFlipped[i] = true;
      flipped++;
    }
    LabeledImages noisy = new LabeledImages(clean.shape(), clean.pixels(), labels);
    LabeledImages val = FashionMnist.subset(FashionMnist.train(), 5000, 150, 0, 2);
    TrainingParams params = FashionMnist.params("adam", "none", 3, 32);
    byte[] pretrained =
        trainer
            .run(
                new EpochJob(
                    "cnn",
                    clean.shape(),
                    3,
                    params,
                    1,
                    1e-3,
                    clean,
                    val,
                    null,
                    null,
                    Augmenter.NONE,
                    null,
                    null),
                StepListener.NONE)
            .checkpoint();

    Probes probes = new Probes(trainer);
    Probes.Job job = new Probes.Job("cnn", clean.shape(), 3, params, noisy, val, pretrained);
    Probes.HeldOut heldOut = probes.outOfSample(job, 2, 2, StepListener.NONE);
    float[][] p = heldOut.probabilities();
    assertEquals(noisy.size(), p.length);
    int wrong = 0;
    int confidentlyOther = 0;
    int ofThemFlipped = 0;
    for (int i = 0; i < p.length; i++) {
      assertEquals(3, p[i].length);
      int best = 0;
      for (int j = 1; j < 3; j++) {
        if (p[i][j] > p[i][best]) {
          best = j;
        }
      }
      wrong += best != labels[i] ? 1 : 0;
      if (best != labels[i] && p[i][best] > 0.8) {
        confidentlyOther++;
        ofThemFlipped += isFlipped[i] ? 1 : 0;
      }
    }
    assertTrue(confidentlyOther >= flipped / 3, "finds flipped labels: " + confidentlyOther);
    assertTrue(
        ofThemFlipped >= confidentlyOther / 2,
        "mostly the flipped ones: " + ofThemFlipped + " of " + confidentlyOther);

    // 10% of the training labels are wrong, none of the validation labels: the same held-out
    // models disagree with the training labels more often than with the validation labels.
    double trainError = (double) wrong / p.length;
    assertTrue(
        trainError > heldOut.valErrorRate() + 0.04,
        "held-out error on training labels "
            + trainError
            + " vs validation labels "
            + heldOut.valErrorRate());

    double linear = probes.linearProbe(job, StepListener.NONE).valAcc();
    assertTrue(linear > 0.5, "frozen features separate the classes: " + linear);
    // The probe keeps its own recipe: a rate that would wreck the run does not reach it.
    TrainingParams wild =
        TrainingParams.builder()
            .epochs(3)
            .batchSize(32)
            .learningRate(50.0)
            .optimizer(Optimizer.SGD)
            .seed(3)
            .device(Device.CPU)
            .build();
    double wildLinear =
        probes
            .linearProbe(
                new Probes.Job("cnn", clean.shape(), 3, wild, noisy, val, pretrained),
                StepListener.NONE)
            .valAcc();
    assertEquals(linear, wildLinear, 1e-9, "the linear probe ignores the run's rate");
    byte[] tuned =
        trainer
            .run(
                new EpochJob(
                    "cnn",
                    clean.shape(),
                    3,
                    params,
                    1,
                    1e-3,
                    clean,
                    val,
                    null,
                    pretrained,
                    Augmenter.NONE,
                    null,
                    null),
                StepListener.NONE)
            .checkpoint();
    double source = probes.sourceAccuracy(pretrained, tuned, val, Device.CPU);
    assertTrue(source > 0.5 && source <= 1.0, "source accuracy " + source);
  }

  @Test
  void lrRangeTestClimbsUntilTheLossBlowsUp() {
    LabeledImages train = FashionMnist.subset(FashionMnist.train(), 0, 480, 0, 2);
    LabeledImages val = FashionMnist.subset(FashionMnist.train(), 5000, 30, 0, 2);
    TrainingParams params = FashionMnist.params("adam", "none", 3, 32);
    Probes.Job job = new Probes.Job("cnn", train.shape(), 3, params, train, val, null);
    java.util.List<double[]> points =
        new Probes(trainer).lrRange(job, 1e-4, 3.0, 12, StepListener.NONE);
    assertTrue(points.size() >= 5, "several steps: " + points.size());
    for (int i = 1; i < points.size(); i++) {
      assertTrue(points.get(i)[0] > points.get(i - 1)[0], "increasing learning rates");
    }
    double min = points.stream().mapToDouble(p -> p[1]).min().orElseThrow();
    double last = points.get(points.size() - 1)[1];
    assertTrue(
        !Double.isFinite(last) || last > 2 * min,
        "ends where the loss blows up: min " + min + ", last " + last);
  }
}
