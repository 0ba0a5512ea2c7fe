package io.tunelab.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunelab.dataset.LabeledImages;
import io.tunelab.dataset.ShardCache;
import io.tunelab.dataset.ShardCodec;
import io.tunelab.progress.Progress;
import io.tunelab.storage.InMemoryObjectStore;
import io.tunelab.storage.Keys;
import io.tunelab.storage.ObjectStore;
import io.tunelab.workflows.model.Arm;
import io.tunelab.workflows.model.ArmSpec;
import io.tunelab.workflows.model.DatasetRef;
import io.tunelab.workflows.model.Device;
import io.tunelab.workflows.model.EpochMetrics;
import io.tunelab.workflows.model.EpochResult;
import io.tunelab.workflows.model.EpochTask;
import io.tunelab.workflows.model.Optimizer;
import io.tunelab.workflows.model.TrainingParams;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * An arm's epoch without Temporal: progress reaches the engine's {@link Progress}, a progress that
 * says stop stops the epoch before anything is stored, and a missing starting checkpoint is
 * unusable. Real training (the integration tier), an in-memory bucket.
 */
@Tag("integration")
class ArmEpochsTest {
  static ObjectStore store;
  static ArmEpochs epochs;
  static DatasetRef data;
  static final TrainingParams PARAMS =
      TrainingParams.builder()
          .epochs(3)
          .batchSize(32)
          .learningRate(1e-3)
          .optimizer(Optimizer.ADAM)
          .seed(5)
          .device(Device.CPU)
          .build();

  @BeforeAll
  static void start() throws Exception {
    store = new InMemoryObjectStore();
    LabeledImages train = FashionMnist.subset(FashionMnist.train(), 0, 160);
    LabeledImages val = FashionMnist.subset(FashionMnist.test(), 0, 64);
    store.put("datasets/epochs/train.shard", ShardCodec.encode(train));
    store.put("datasets/epochs/val.shard", ShardCodec.encode(val));
    List<String> classes = new ArrayList<>();
    for (int c = 0; c < 10; c++) {
      classes.add("c" + c);
    }
    data =
        new DatasetRef(
            "epochs",
            "m",
            "p",
            Map.of(
                "train", "datasets/epochs/train.shard",
                "val", "datasets/epochs/val.shard",
                "test", "datasets/epochs/val.shard"),
            classes,
            train.shape(),
            Map.of(),
            0,
            0,
            null);
    ShardCache shards = new ShardCache(store, 4);
    epochs =
        new ArmEpochs(
            store,
            shards,
            new EpochTrainer(),
            TorchThread.shared(),
            new LiveModels(LiveModels.DEFAULT_CAPACITY),
            Duration.ofSeconds(1));
  }

  private static EpochTask task(String runId, int epoch, String previous) {
    return new EpochTask(
        new ArmSpec(runId, Arm.SCRATCH, "cnn", PARAMS, null, 0, null, null),
        data,
        epoch,
        1e-3,
        previous,
        null);
  }

  @Test
  void reportsEveryStepAndStoresTheEpoch() {
    List<Object> reported = Collections.synchronizedList(new ArrayList<>());
    EpochResult result = epochs.train(task("steps", 1, null), 1, reported::add);

    assertEquals(Keys.checkpoint("steps", Arm.SCRATCH, 1), result.checkpointKey());
    assertTrue(store.exists(result.checkpointKey()));
    assertTrue(store.exists(Keys.latestCheckpoint("steps", Arm.SCRATCH)));
    assertEquals(6, reported.size(), "the start and each of the 5 steps");
    EpochProgress first = assertInstanceOf(EpochProgress.class, reported.get(0));
    assertEquals(0, first.step());
    EpochProgress last = assertInstanceOf(EpochProgress.class, reported.get(5));
    assertEquals(5, last.step());
    assertEquals(5, last.steps());
    assertEquals("scratch epoch 1/3 step 5/5", last.text().replaceAll(" loss .*", ""));
  }

  @Test
  void aProgressThatSaysStopStopsTheEpochBeforeAnythingIsStored() {
    class Stopped extends RuntimeException {
      private static final long serialVersionUID = 1L;
    }
    Progress stopAfterTwoSteps =
        new Progress() {
          int checks;

          @Override
          public void report(Object details) {}

          @Override
          public void checkStopped() {
            if (++checks > 2) {
              throw new Stopped();
            }
          }
        };

    assertThrows(Stopped.class, () -> epochs.train(task("stopped", 1, null), 1, stopAfterTwoSteps));
    assertFalse(store.exists(Keys.checkpoint("stopped", Arm.SCRATCH, 1)));
    assertFalse(store.exists(Keys.latestCheckpoint("stopped", Arm.SCRATCH)));
  }

  @Test
  void aFineTuneWithItsHeadReusedForEveryClassReturnsAndStoresItsEpochZero() {
    // The source model: one epoch on the same ten classes; its checkpoint is the fine-tune's start.
    EpochResult source = epochs.train(task("start-src", 1, null), 1, Progress.NONE);
    ArmSpec reused =
        new ArmSpec(
            "start-ft",
            Arm.FINETUNE,
            "cnn",
            PARAMS,
            source.checkpointKey(),
            10,
            null,
            data.classes());
    EpochResult first =
        epochs.train(new EpochTask(reused, data, 1, 1e-3, null, null), 1, Progress.NONE);

    EpochMetrics start = first.start();
    assertEquals(0, start.epoch());
    assertEquals(0, start.lr());
    // The pretrained model itself, head included, on the same validation images
    assertEquals(source.metrics().valLoss(), start.valLoss(), 1e-5);
    assertEquals(source.metrics().valAcc(), start.valAcc(), 1e-9);
    assertTrue(Double.isFinite(start.trainLoss()) && start.trainAcc() > 0, start.toString());
    assertTrue(store.exists(Keys.epochMetrics("start-ft", Arm.FINETUNE, 0)));
    assertTrue(store.exists(Keys.validationPredictions("start-ft", "finetune", 0)));
    assertNull(source.start(), "a model trained from scratch has no start to evaluate");
    ArmSpec newHead =
        new ArmSpec(
            "start-new", Arm.FINETUNE, "cnn", PARAMS, source.checkpointKey(), 10, null, null);
    assertNull(
        epochs.train(new EpochTask(newHead, data, 1, 1e-3, null, null), 1, Progress.NONE).start(),
        "a new head predicts at chance: no epoch 0");
  }

  @Test
  void aMissingStartingCheckpointIsUnusable() {
    String missing = Keys.checkpoint("missing", Arm.SCRATCH, 1);
    UnusableCheckpointException e =
        assertThrows(
            UnusableCheckpointException.class,
            () -> epochs.train(task("missing", 2, missing), 1, Progress.NONE));
    assertEquals(missing + " is missing", e.getMessage());
  }
}
