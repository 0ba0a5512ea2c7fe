package io.tunelab.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunelab.dataset.LabeledImages;
import io.tunelab.evaluation.Evaluation;
import io.tunelab.evaluation.Evaluator;
import io.tunelab.workflows.model.Device;
import io.tunelab.workflows.model.SampleShape;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** DJL's ResNetV1 behind the same API, on a few batches only (slow on 2 CPU cores). */
@Tag("integration")
class ResNetSmokeTest {

  @ParameterizedTest
  @ValueSource(strings = {"resnet18", "resnet50"})
  void trainsAFewBatchesResumesAndEvaluates(String architecture) {
    LabeledImages train = FashionMnist.subset(FashionMnist.train(), 0, 64);
    LabeledImages val = FashionMnist.subset(FashionMnist.test(), 0, 32);
    assertEquals(
        SampleShape.image(1, 32, 32),
        Network.inputShape(architecture, train.shape()),
        "28x28 is padded to 32x32");
    EpochTrainer trainer = new EpochTrainer();
    List<Double> losses = new ArrayList<>();
    long t0 = System.nanoTime();
    EpochOutcome e1 =
        trainer.run(
            new EpochJob(
                architecture,
                train.shape(),
                10,
                FashionMnist.params("sgd", "none", 3, 32),
                1,
                0.01,
                train,
                val,
                null,
                null,
                null,
                null,
                null),
            (step, total, loss) -> losses.add(loss));
    double secs = (System.nanoTime() - t0) / 1e9;
    Checkpoint c1 = CheckpointCodec.decode(e1.checkpoint());
    System.out.printf(
        "%s: %d parameter tensors, %.1f MB checkpoint, epoch of 64+32 imgs %.2f s"
            + " (%.0f img/s incl. setup and val); %s%n",
        architecture,
        c1.parameters().size(),
        e1.checkpoint().length / 1e6,
        secs,
        64 / secs,
        e1.metrics());
    assertEquals(2, losses.size());
    assertFalse(e1.diverged());
    assertTrue(Double.isFinite(e1.metrics().valLoss()));

    // Resume with the frozen backbone: backbone (batch-norm statistics included) unchanged.
    EpochOutcome e2 =
        trainer.run(
            new EpochJob(
                architecture,
                train.shape(),
                10,
                FashionMnist.params("sgd", "backbone", 3, 32),
                2,
                0.01,
                train,
                val,
                e1.checkpoint(),
                null,
                null,
                null,
                null),
            null);
    Map<String, Checkpoint.Tensor> p1 = c1.parameters();
    Map<String, Checkpoint.Tensor> p2 = CheckpointCodec.decode(e2.checkpoint()).parameters();
    Set<String> backbone = Network.build(architecture, train.shape(), 10).backboneParameterNames();
    assertEquals(p1.size() - 2, backbone.size(), "the head is one linear layer");
    for (String name : p1.keySet()) {
      assertEquals(backbone.contains(name), p1.get(name).sameAs(p2.get(name)), name);
    }

    Evaluation eval = new Evaluator().evaluate(e2.checkpoint(), val, Device.CPU);
    assertEquals(e2.metrics().valLoss(), eval.loss(), 1e-6);
    assertEquals(e2.metrics().valAcc(), eval.acc(), 1e-12);
  }
}
