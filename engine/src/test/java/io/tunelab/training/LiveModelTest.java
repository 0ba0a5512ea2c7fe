package io.tunelab.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunelab.dataset.AugmentationPolicy;
import io.tunelab.dataset.LabeledImages;
import io.tunelab.workflows.model.Augment;
import io.tunelab.workflows.model.Device;
import io.tunelab.workflows.model.EpochMetrics;
import io.tunelab.workflows.model.Freeze;
import io.tunelab.workflows.model.Optimizer;
import io.tunelab.workflows.model.TrainingParams;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * An epoch that continues from the live model the epoch before left is bit-identical to one that
 * decodes that epoch's checkpoint into a fresh model: the same metrics, parameters and optimizer
 * state, epoch after epoch, with learning rates that change, gradual unfreezing, augmentation and
 * dropout; and a live model is used only for the very next epoch of the same training.
 */
@Tag("integration")
class LiveModelTest {
  private static final LabeledImages TRAIN = FashionMnist.subset(FashionMnist.train(), 0, 256);
  private static final LabeledImages VAL = FashionMnist.subset(FashionMnist.test(), 0, 64);
  private static final double[] LR = {0.002, 0.001, 0.0005};

  private static EpochJob job(TrainingParams params, int epoch, byte[] previous) {
    return new EpochJob(
        "cnn",
        TRAIN.shape(),
        10,
        params,
        epoch,
        LR[epoch - 1],
        TRAIN,
        VAL,
        previous,
        null,
        AugmentationPolicy.of(params.augment()),
        null,
        null);
  }

  private static TrainingParams adamGradual() {
    return TrainingParams.builder()
        .epochs(3)
        .batchSize(32)
        .learningRate(0.002)
        .optimizer(Optimizer.ADAM)
        .weightDecay(1e-4)
        .augment(Augment.LIGHT)
        .freeze(Freeze.GRADUAL)
        .seed(5)
        .device(Device.CPU)
        .headDropout(0.3)
        .labelSmoothing(0.1)
        .backboneLrFactor(0.5)
        .build();
  }

  private static TrainingParams sgdMomentum() {
    return TrainingParams.builder()
        .epochs(3)
        .batchSize(32)
        .learningRate(0.002)
        .optimizer(Optimizer.SGD)
        .weightDecay(5e-4)
        .seed(9)
        .device(Device.CPU)
        .build();
  }

  @Test
  void continuingTheLiveModelIsBitIdenticalToLoadingTheCheckpoint() {
    for (TrainingParams params : new TrainingParams[] {adamGradual(), sgdMomentum()}) {
      EpochTrainer trainer = new EpochTrainer();
      byte[] previous = null;
      LiveModel live = null;
      try {
        for (int epoch = 1; epoch <= 3; epoch++) {
          EpochOutcome cold = trainer.run(job(params, epoch, previous), null);
          EpochOutcome warm =
              trainer.run(
                  job(params, epoch, live == null ? previous : null), null, null, null, live, true);
          live = warm.live();
          assertNotNull(live, "epoch " + epoch + " keeps its model alive");
          assertEquals(epoch, live.epoch());
          assertSameTraining(params.optimizer() + " epoch " + epoch, cold, warm);
          previous = cold.checkpoint();
        }
      } finally {
        if (live != null) {
          live.close();
        }
      }
    }
  }

  private static void assertSameTraining(String what, EpochOutcome cold, EpochOutcome warm) {
    EpochMetrics a = cold.metrics();
    EpochMetrics b = warm.metrics();
    assertEquals(a.trainLoss(), b.trainLoss(), 0.0, what + " train loss");
    assertEquals(a.trainAcc(), b.trainAcc(), 0.0, what + " train acc");
    assertEquals(a.valLoss(), b.valLoss(), 0.0, what + " val loss");
    assertEquals(a.valAcc(), b.valAcc(), 0.0, what + " val acc");
    Checkpoint x = CheckpointCodec.decode(cold.checkpoint());
    Checkpoint y = CheckpointCodec.decode(warm.checkpoint());
    assertEquals(x.parameters().keySet(), y.parameters().keySet(), what);
    for (Map.Entry<String, Checkpoint.Tensor> e : x.parameters().entrySet()) {
      assertArrayEquals(
          e.getValue().values(),
          y.parameters().get(e.getKey()).values(),
          what + " parameter " + e.getKey());
    }
    assertEquals(x.optimizerState().slots().keySet(), y.optimizerState().slots().keySet(), what);
    for (Map.Entry<String, Checkpoint.Slot> e : x.optimizerState().slots().entrySet()) {
      Checkpoint.Slot other = y.optimizerState().slots().get(e.getKey());
      assertEquals(e.getValue().steps(), other.steps(), what + " steps of " + e.getKey());
      for (int i = 0; i < e.getValue().buffers().size(); i++) {
        assertArrayEquals(
            e.getValue().buffers().get(i).values(),
            other.buffers().get(i).values(),
            what + " optimizer buffer " + i + " of " + e.getKey());
      }
    }
  }

  @Test
  void aLiveModelContinuesOnlyTheNextEpochOfTheSameTraining() {
    EpochTrainer trainer = new EpochTrainer();
    TrainingParams params = sgdMomentum();
    EpochOutcome first = trainer.run(job(params, 1, null), null, null, null, null, true);
    LiveModel live = first.live();
    try {
      assertTrue(live.continues(job(params, 2, null)));
      assertFalse(live.continues(job(params, 3, null)), "not two epochs on");
      assertFalse(live.continues(job(params, 1, null)), "not the same epoch again");
      assertFalse(live.continues(job(sgdMomentum9(), 2, null)), "not other hyper-parameters");
      assertFalse(
          live.continues(
              new EpochJob(
                  "cnn",
                  TRAIN.shape(),
                  11,
                  params,
                  2,
                  0.001,
                  TRAIN,
                  VAL,
                  null,
                  null,
                  null,
                  null,
                  null)),
          "not other classes");
      assertThrows(
          IllegalArgumentException.class,
          () -> trainer.run(job(params, 3, null), null, null, null, live, true));
    } finally {
      live.close();
    }
    assertNull(trainer.run(job(params, 1, null), null).live(), "kept only when asked");
  }

  private static TrainingParams sgdMomentum9() {
    return TrainingParams.builder()
        .epochs(3)
        .batchSize(32)
        .learningRate(0.002)
        .optimizer(Optimizer.SGD)
        .weightDecay(5e-4)
        .seed(10)
        .device(Device.CPU)
        .build();
  }

  @Test
  void theCacheHandsOutAModelOnlyWhileItsCheckpointIsUnchangedAndClosesWhatItDrops() {
    EpochTrainer trainer = new EpochTrainer();
    TrainingParams params = sgdMomentum();
    LiveModel a = trainer.run(job(params, 1, null), null, null, null, null, true).live();
    LiveModel b = trainer.run(job(params, 1, null), null, null, null, null, true).live();
    LiveModel c = trainer.run(job(params, 1, null), null, null, null, null, true).live();
    LiveModels cache = new LiveModels(2);
    cache.put("runs/r/finetune/epoch-0001/checkpoint.bin", "etag-a", a);
    cache.put("runs/r/scratch/epoch-0001/checkpoint.bin", "etag-b", b);
    cache.put("runs/q/finetune/epoch-0001/checkpoint.bin", "etag-c", c);
    assertTrue(a.closed(), "the eldest beyond the capacity is closed");
    assertEquals(2, cache.size());

    assertNull(cache.take("runs/r/scratch/epoch-0001/checkpoint.bin", key -> "rewritten"));
    assertTrue(b.closed(), "a model whose checkpoint changed is closed");
    assertNull(cache.take("runs/r/scratch/epoch-0001/checkpoint.bin", key -> "etag-b"), "and gone");

    assertNull(cache.take(null, key -> "etag-c"));
    assertEquals(c, cache.take("runs/q/finetune/epoch-0001/checkpoint.bin", key -> "etag-c"));
    assertFalse(c.closed(), "handed out alive");
    assertEquals(0, cache.size(), "taken out");

    cache.put("runs/q/finetune/epoch-0001/checkpoint.bin", "etag-c", c);
    cache.drop("runs/q/finetune/");
    assertTrue(c.closed(), "dropped with its arm");
    assertEquals(0, cache.size());

    LiveModel d = trainer.run(job(params, 1, null), null, null, null, null, true).live();
    new LiveModels(0).put("runs/r/finetune/epoch-0001/checkpoint.bin", "etag-d", d);
    assertTrue(d.closed(), "a cache of no models closes what it is given");
  }
}
