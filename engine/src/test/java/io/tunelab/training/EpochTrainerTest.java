package io.tunelab.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunelab.dataset.LabeledImages;
import io.tunelab.workflows.model.Augment;
import io.tunelab.workflows.model.Device;
import io.tunelab.workflows.model.EpochMetrics;
import io.tunelab.workflows.model.Optimizer;
import io.tunelab.workflows.model.TrainingParams;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("integration")
class EpochTrainerTest {
  private final EpochTrainer trainer = new EpochTrainer();

  private static EpochJob job(
      TrainingParams params,
      int epoch,
      double lr,
      LabeledImages train,
      LabeledImages val,
      byte[] previous) {
    return new EpochJob(
        "cnn", train.shape(), 10, params, epoch, lr, train, val, previous, null, null, null, null);
  }

  @Test
  void smokeTrainsAFewBatchesAndReportsEveryStep() {
    LabeledImages train = FashionMnist.subset(FashionMnist.train(), 0, 200);
    LabeledImages val = FashionMnist.subset(FashionMnist.test(), 0, 100);
    List<double[]> steps = new ArrayList<>();
    EpochOutcome out =
        trainer.run(
            job(FashionMnist.params("adam", "none", 7, 64), 1, 1e-3, train, val, null),
            (step, total, loss) -> steps.add(new double[] {step, total, loss}));

    assertEquals(
        3, steps.size(), "200 images in batches of 64 is 3 steps, the last taking the 8 left over");
    for (int i = 0; i < steps.size(); i++) {
      assertEquals(i + 1, (int) steps.get(i)[0]);
      assertEquals(3, (int) steps.get(i)[1]);
      assertTrue(Double.isFinite(steps.get(i)[2]) && steps.get(i)[2] > 0);
    }
    EpochMetrics m = out.metrics();
    assertFalse(out.diverged());
    assertEquals(1, m.epoch());
    assertEquals(1e-3, m.lr());
    assertEquals(steps.get(2)[2], m.trainLoss(), 1e-12, "last running mean is the epoch mean");
    assertTrue(m.valLoss() > 0 && Double.isFinite(m.valLoss()));
    assertTrue(m.valAcc() >= 0 && m.valAcc() <= 1);
    assertTrue(m.seconds() > 0);
    Checkpoint cp = CheckpointCodec.decode(out.checkpoint());
    assertEquals("cnn", cp.architecture());
    assertEquals(1, cp.epoch());
    assertEquals(10, cp.numClasses());
    assertEquals(m, cp.metrics());
    assertEquals(3, cp.rng().steps());
    assertEquals(200, cp.rng().trainExamples());
    assertEquals("adam", cp.optimizerState().optimizer());
    // Every trainable parameter has Adam state after 3 steps; running statistics have none.
    for (Checkpoint.Slot slot : cp.optimizerState().slots().values()) {
      assertEquals(3, slot.steps());
      assertEquals(2, slot.buffers().size());
    }
    assertTrue(cp.parameters().keySet().containsAll(cp.optimizerState().slots().keySet()));
  }

  @Test
  void twoEpochsOnAThousandImagesBeatChanceClearly() {
    LabeledImages train = FashionMnist.subset(FashionMnist.train(), 0, 1000);
    LabeledImages val = FashionMnist.subset(FashionMnist.test(), 0, 300);
    TrainingParams params = FashionMnist.params("adam", "none", 42, 32);
    long t0 = System.nanoTime();
    EpochOutcome e1 = trainer.run(job(params, 1, 1e-3, train, val, null), null);
    EpochOutcome e2 = trainer.run(job(params, 2, 1e-3, train, val, e1.checkpoint()), null);
    double secs = (System.nanoTime() - t0) / 1e9;
    System.out.printf(
        "2 epochs x 1000 imgs: %.2f s (%.0f img/s incl. val); e1 %s; e2 %s%n",
        secs, 2000 / secs, e1.metrics(), e2.metrics());
    assertTrue(e2.metrics().valAcc() > 0.6, "val acc " + e2.metrics().valAcc());
    assertTrue(e2.metrics().trainLoss() < e1.metrics().trainLoss(), "training loss falls");
  }

  @Test
  void aHugeLearningRateDivergesWithoutACheckpoint() {
    LabeledImages train = FashionMnist.subset(FashionMnist.train(), 0, 640);
    LabeledImages val = FashionMnist.subset(FashionMnist.test(), 0, 64);
    EpochOutcome out =
        trainer.run(job(FashionMnist.params("sgd", "none", 1, 64), 1, 1e6, train, val, null), null);
    System.out.println("lr 1e6: " + out.metrics());
    assertTrue(out.diverged(), "diverged flag");
    assertTrue(out.checkpoint() == null, "no checkpoint for a diverged epoch");
  }

  @Test
  void rejectsACheckpointOfTheWrongEpochAndAMissingOne() {
    LabeledImages train = FashionMnist.subset(FashionMnist.train(), 0, 64);
    LabeledImages val = FashionMnist.subset(FashionMnist.test(), 0, 32);
    TrainingParams params = FashionMnist.params("sgd", "none", 1, 64);
    EpochOutcome e1 = trainer.run(job(params, 1, 0.01, train, val, null), null);
    assertNotNull(e1.checkpoint());
    IllegalArgumentException wrongEpoch =
        assertThrows(
            IllegalArgumentException.class,
            () -> trainer.run(job(params, 3, 0.01, train, val, e1.checkpoint()), null));
    assertTrue(wrongEpoch.getMessage().contains("epoch 1"), wrongEpoch.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> trainer.run(job(params, 2, 0.01, train, val, null), null));
    IllegalArgumentException otherOptimizer =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                trainer.run(
                    job(
                        FashionMnist.params("adam", "none", 1, 64),
                        2,
                        0.01,
                        train,
                        val,
                        e1.checkpoint()),
                    null));
    assertTrue(otherOptimizer.getMessage().contains("sgd"), otherOptimizer.getMessage());
  }

  @Test
  void augmentationIsAppliedToTrainingImagesOnlyAndDeterministically() {
    LabeledImages train = FashionMnist.subset(FashionMnist.train(), 0, 128);
    LabeledImages val = FashionMnist.subset(FashionMnist.test(), 0, 64);
    TrainingParams params = FashionMnist.params("sgd", "none", 3, 64);
    List<Long> draws = new ArrayList<>();
    io.tunelab.dataset.Augmenter flip =
        (image, shape, rng) -> {
          long r = rng.nextLong();
          synchronized (draws) {
            draws.add(r);
          }
          byte[] out = image.clone();
          if ((r & 1) == 0) {
            for (int y = 0; y < shape.height(); y++) {
              for (int x = 0; x < shape.width() / 2; x++) {
                int a = y * shape.width() + x;
                int b = y * shape.width() + shape.width() - 1 - x;
                byte t = out[a];
                out[a] = out[b];
                out[b] = t;
              }
            }
          }
          return out;
        };
    EpochJob job =
        new EpochJob(
            "cnn", train.shape(), 10, params, 1, 0.05, train, val, null, null, flip, null, null);
    EpochOutcome a = trainer.run(job, null);
    List<Long> first = new ArrayList<>(draws);
    draws.clear();
    EpochOutcome b = trainer.run(job, null);
    assertEquals(128, first.size(), "called once per training image, never on validation");
    assertEquals(first, draws, "same random draws in a rerun");
    assertEquals(a.metrics().trainLoss(), b.metrics().trainLoss());
    assertEquals(a.metrics().valLoss(), b.metrics().valLoss());
    EpochOutcome plain =
        trainer.run(
            new EpochJob(
                "cnn",
                train.shape(),
                10,
                params,
                1,
                0.05,
                train,
                val,
                null,
                null,
                null,
                null,
                null),
            null);
    assertTrue(
        plain.metrics().trainLoss() != a.metrics().trainLoss(),
        "augmentation changes what is trained");
    assertArrayEquals(
        CheckpointCodec.decode(a.checkpoint()).parameters().keySet().toArray(),
        CheckpointCodec.decode(plain.checkpoint()).parameters().keySet().toArray());
  }

  /** Saves the epoch part-way once, after a given step, and keeps what it saved. */
  private static final class SaveAfter implements PartialSink {
    private final int afterStep;
    private int steps;
    PartialEpoch saved;

    SaveAfter(int afterStep) {
      this.afterStep = afterStep;
    }

    @Override
    public boolean due() {
      return ++steps == afterStep;
    }

    @Override
    public void save(PartialEpoch partial) {
      saved = partial;
    }
  }

  @Test
  void anEpochContinuedFromItsInEpochCheckpointEndsExactlyAsAnUninterruptedOne() {
    LabeledImages train = FashionMnist.subset(FashionMnist.train(), 0, 300);
    LabeledImages val = FashionMnist.subset(FashionMnist.test(), 0, 100);
    // Dropout on the head and augmentation: both draw random numbers every step.
    TrainingParams params =
        TrainingParams.builder()
            .epochs(3)
            .batchSize(32)
            .learningRate(1e-3)
            .optimizer(Optimizer.ADAM)
            .weightDecay(1e-4)
            .augment(Augment.LIGHT)
            .seed(9)
            .device(Device.CPU)
            .checkpointEverySeconds(1)
            .build();
    byte[] epoch1 = trainer.run(job(params, 1, 1e-3, train, val, null), null).checkpoint();

    EpochOutcome uninterrupted =
        trainer.run(job(params, 2, 1e-3, train, val, epoch1), null, null, new SaveAfter(0));
    SaveAfter sink = new SaveAfter(4);
    EpochOutcome saving = trainer.run(job(params, 2, 1e-3, train, val, epoch1), null, null, sink);
    assertNotNull(sink.saved, "saved after step 4 of 9 (300 = 9 x 32 + 12: the last takes 44)");
    assertEquals(4, sink.saved.stepsDone());
    assertEquals(128, sink.saved.seen());
    Checkpoint part = CheckpointCodec.decode(sink.saved.checkpoint());
    assertEquals(2, part.epoch());
    assertEquals(sink.saved.lossSum() / 128, part.metrics().trainLoss(), 1e-12);

    List<Integer> stepsAfterResume = new ArrayList<>();
    EpochOutcome continued =
        trainer.run(
            job(params, 2, 1e-3, train, val, epoch1),
            (step, total, loss) -> stepsAfterResume.add(step),
            sink.saved,
            null);

    assertEquals(List.of(5, 6, 7, 8, 9), stepsAfterResume, "steps 5-9 only");
    for (EpochOutcome other : List.of(saving, continued)) {
      EpochMetrics a = uninterrupted.metrics();
      EpochMetrics b = other.metrics();
      assertEquals(a.trainLoss(), b.trainLoss(), 0.0);
      assertEquals(a.trainAcc(), b.trainAcc(), 0.0);
      assertEquals(a.valLoss(), b.valLoss(), 0.0);
      assertEquals(a.valAcc(), b.valAcc(), 0.0);
      Checkpoint x = CheckpointCodec.decode(uninterrupted.checkpoint());
      Checkpoint y = CheckpointCodec.decode(other.checkpoint());
      for (String name : x.parameters().keySet()) {
        assertTrue(x.parameters().get(name).sameAs(y.parameters().get(name)), name);
      }
      assertEquals(x.optimizerState().slots().keySet(), y.optimizerState().slots().keySet());
    }
  }

  @Test
  void anInEpochCheckpointOfAnotherEpochIsRefused() {
    LabeledImages train = FashionMnist.subset(FashionMnist.train(), 0, 300);
    LabeledImages val = FashionMnist.subset(FashionMnist.test(), 0, 100);
    TrainingParams params =
        TrainingParams.builder()
            .epochs(3)
            .batchSize(32)
            .learningRate(1e-3)
            .optimizer(Optimizer.ADAM)
            .seed(9)
            .device(Device.CPU)
            .checkpointEverySeconds(1)
            .build();
    SaveAfter sink = new SaveAfter(2);
    byte[] epoch1 =
        trainer.run(job(params, 1, 1e-3, train, val, null), null, null, sink).checkpoint();
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> trainer.run(job(params, 2, 1e-3, train, val, epoch1), null, sink.saved, null));
    assertTrue(e.getMessage().contains("in-epoch checkpoint is epoch 1"), e.getMessage());
  }
}
