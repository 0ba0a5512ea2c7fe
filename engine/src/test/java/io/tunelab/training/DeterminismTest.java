package io.tunelab.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunelab.dataset.LabeledImages;
import io.tunelab.workflows.model.Device;
import io.tunelab.workflows.model.EpochMetrics;
import io.tunelab.workflows.model.Optimizer;
import io.tunelab.workflows.model.TrainingParams;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Two independent runs of epochs 1..3 agree, a resume from a checkpoint in a fresh trainer agrees
 * with the run it came from, and the optimizer state in the checkpoint is what makes it so.
 */
@Tag("integration")
class DeterminismTest {
  private static final LabeledImages TRAIN = FashionMnist.subset(FashionMnist.train(), 0, 320);
  private static final LabeledImages VAL = FashionMnist.subset(FashionMnist.test(), 0, 200);

  private static TrainingParams params(String optimizer, double weightDecay, long seed) {
    return TrainingParams.builder()
        .epochs(3)
        .batchSize(32)
        .learningRate(1e-3)
        .optimizer(Optimizer.parse(optimizer))
        .weightDecay(weightDecay)
        .seed(seed)
        .device(Device.CPU)
        .build();
  }

  private static EpochOutcome epoch(TrainingParams p, int epoch, double lr, byte[] previous) {
    return new EpochTrainer()
        .run(
            new EpochJob(
                "cnn",
                TRAIN.shape(),
                10,
                p,
                epoch,
                lr,
                TRAIN,
                VAL,
                previous,
                null,
                null,
                null,
                null),
            null);
  }

  private static List<EpochOutcome> run(TrainingParams p, double lr) {
    List<EpochOutcome> out = new ArrayList<>();
    byte[] previous = null;
    for (int e = 1; e <= 3; e++) {
      EpochOutcome o = epoch(p, e, lr * (e == 3 ? 0.5 : 1), previous);
      out.add(o);
      previous = o.checkpoint();
    }
    return out;
  }

  private static void assertSameMetrics(EpochMetrics a, EpochMetrics b) {
    assertEquals(a.epoch(), b.epoch());
    assertEquals(a.trainLoss(), b.trainLoss(), 1e-6);
    assertEquals(a.trainAcc(), b.trainAcc(), 1e-6);
    assertEquals(a.valLoss(), b.valLoss(), 1e-6);
    assertEquals(a.valAcc(), b.valAcc(), 1e-6);
    assertEquals(a.lr(), b.lr());
  }

  /** The largest absolute difference over every parameter. */
  private static double maxDiff(byte[] a, byte[] b) {
    Map<String, Checkpoint.Tensor> pa = CheckpointCodec.decode(a).parameters();
    Map<String, Checkpoint.Tensor> pb = CheckpointCodec.decode(b).parameters();
    assertEquals(pa.keySet(), pb.keySet());
    double max = 0;
    for (String name : pa.keySet()) {
      float[] x = pa.get(name).values();
      float[] y = pb.get(name).values();
      for (int i = 0; i < x.length; i++) {
        max = Math.max(max, Math.abs((double) x[i] - y[i]));
      }
    }
    return max;
  }

  @ParameterizedTest
  @CsvSource({"adam, 0.0, 1e-3", "sgd, 5e-4, 0.02", "adamw, 1e-2, 1e-3"})
  void independentRunsAndResumesAgree(String optimizer, double weightDecay, double lr) {
    TrainingParams p = params(optimizer, weightDecay, 2024);
    List<EpochOutcome> a = run(p, lr);
    List<EpochOutcome> b = run(p, lr);
    double worst = 0;
    for (int i = 0; i < 3; i++) {
      assertSameMetrics(a.get(i).metrics(), b.get(i).metrics());
      double d = maxDiff(a.get(i).checkpoint(), b.get(i).checkpoint());
      worst = Math.max(worst, d);
      assertTrue(d <= 1e-6, optimizer + " epoch " + (i + 1) + " parameters differ by " + d);
    }
    // A fresh trainer resuming epoch 2 from epoch 1's checkpoint (as after a worker crash).
    EpochOutcome resumed = epoch(p, 2, lr, a.get(0).checkpoint());
    assertSameMetrics(a.get(1).metrics(), resumed.metrics());
    double resumeDiff = maxDiff(a.get(1).checkpoint(), resumed.checkpoint());
    assertTrue(resumeDiff <= 1e-6, "resume differs by " + resumeDiff);
    System.out.printf(
        "%s: run-vs-run max |dparam| %.3g, resume-vs-run %.3g; metrics %s%n",
        optimizer, worst, resumeDiff, a.get(2).metrics());

    // The optimizer state in the checkpoint matters: without it, epoch 2 comes out different.
    Checkpoint first = CheckpointCodec.decode(a.get(0).checkpoint());
    assertEquals(optimizer, first.optimizerState().optimizer());
    assertEquals(10, first.optimizerState().slots().values().iterator().next().steps());
    byte[] stateless = CheckpointCodec.encode(first.withOptimizerState(null));
    EpochOutcome forgetful = epoch(p, 2, lr, stateless);
    double lost = maxDiff(a.get(1).checkpoint(), forgetful.checkpoint());
    System.out.printf("%s: epoch 2 without optimizer state differs by %.3g%n", optimizer, lost);
    assertTrue(lost > 1e-4, "dropping optimizer state changed nothing: " + lost);

    // Another seed gives another run (so the comparisons above can fail).
    EpochOutcome otherSeed = epoch(params(optimizer, weightDecay, 2025), 1, lr, null);
    assertTrue(maxDiff(a.get(0).checkpoint(), otherSeed.checkpoint()) > 1e-3);
    assertTrue(a.get(2).metrics().valAcc() > 0.5, "learns: " + a.get(2).metrics());
  }
}
