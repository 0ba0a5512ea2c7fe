package io.tunelab.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunelab.dataset.LabeledImages;
import io.tunelab.dataset.ShardCache;
import io.tunelab.dataset.ShardCodec;
import io.tunelab.storage.InMemoryObjectStore;
import io.tunelab.storage.ObjectStore;
import io.tunelab.workflows.model.Arm;
import io.tunelab.workflows.model.ArmSpec;
import io.tunelab.workflows.model.BestEpoch;
import io.tunelab.workflows.model.DatasetRef;
import io.tunelab.workflows.model.Device;
import io.tunelab.workflows.model.EpochMetrics;
import io.tunelab.workflows.model.EpochResult;
import io.tunelab.workflows.model.EpochTask;
import io.tunelab.workflows.model.EpochsTask;
import io.tunelab.workflows.model.LearningRateSchedule;
import io.tunelab.workflows.model.Optimizer;
import io.tunelab.workflows.model.Schedule;
import io.tunelab.workflows.model.TrainingParams;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Epochs back to back in one activity train what one activity per epoch trains, bit for bit; a
 * retry given the epochs its last heartbeat carried continues after them to the same end; the time
 * budget and the patience end an activity. Real training (the integration tier), an in-memory
 * bucket.
 */
@Tag("integration")
class ConsecutiveEpochsTest {
  static ObjectStore store;
  static ArmEpochs epochs;

  /** Keeps the models alive between epochs: the next trains while the last one's objects go up. */
  static ArmEpochs liveEpochs;

  static DatasetRef data;
  static final TrainingParams PARAMS =
      TrainingParams.builder()
          .epochs(4)
          .batchSize(32)
          .learningRate(1e-3)
          .optimizer(Optimizer.ADAM)
          .schedule(Schedule.COSINE)
          .seed(5)
          .device(Device.CPU)
          .build();

  @BeforeAll
  static void start() {
    store = new InMemoryObjectStore();
    LabeledImages train = FashionMnist.subset(FashionMnist.train(), 0, 96);
    LabeledImages val = FashionMnist.subset(FashionMnist.test(), 0, 32);
    store.put("datasets/c/train.shard", ShardCodec.encode(train));
    store.put("datasets/c/val.shard", ShardCodec.encode(val));
    List<String> classes = new ArrayList<>();
    for (int c = 0; c < 10; c++) {
      classes.add("c" + c);
    }
    data =
        new DatasetRef(
            "c",
            "m",
            "p",
            Map.of(
                "train", "datasets/c/train.shard",
                "val", "datasets/c/val.shard",
                "test", "datasets/c/val.shard"),
            classes,
            train.shape(),
            Map.of(),
            0,
            0,
            null);
    epochs =
        new ArmEpochs(
            store,
            new ShardCache(store, 4),
            new EpochTrainer(),
            TorchThread.shared(),
            // no live models: every epoch reads its checkpoint back, as on another worker
            new LiveModels(0),
            Duration.ofSeconds(1));
    liveEpochs =
        new ArmEpochs(
            store,
            new ShardCache(store, 4),
            new EpochTrainer(),
            TorchThread.shared(),
            new LiveModels(LiveModels.DEFAULT_CAPACITY),
            Duration.ofSeconds(1));
  }

  private static ArmSpec arm(String runId, TrainingParams params) {
    return new ArmSpec(runId, Arm.SCRATCH, "cnn", params, null, 0, null, null);
  }

  private static EpochsTask task(String runId, TrainingParams params, int seconds) {
    EpochTask first =
        new EpochTask(
            arm(runId, params),
            data,
            1,
            LearningRateSchedule.forEpoch(params, 1, List.of()),
            null,
            null);
    return new EpochsTask(first, List.of(), BestEpoch.NONE, seconds);
  }

  /** One epoch per call, as the workflow schedules them one activity each. */
  private static List<EpochResult> onePerActivity(String runId) {
    List<EpochResult> out = new ArrayList<>();
    List<EpochMetrics> history = new ArrayList<>();
    for (int epoch = 1; epoch <= PARAMS.epochs(); epoch++) {
      String previous = out.isEmpty() ? null : out.get(out.size() - 1).checkpointKey();
      EpochResult r =
          epochs.train(
              new EpochTask(
                  arm(runId, PARAMS),
                  data,
                  epoch,
                  LearningRateSchedule.forEpoch(PARAMS, epoch, history),
                  previous,
                  null),
              1,
              d -> {});
      out.add(r);
      history.add(r.metrics());
    }
    return out;
  }

  private static void assertSameEpochs(List<EpochResult> a, List<EpochResult> b) {
    assertEquals(a.size(), b.size());
    for (int i = 0; i < a.size(); i++) {
      EpochMetrics x = a.get(i).metrics();
      EpochMetrics y = b.get(i).metrics();
      assertEquals(x.epoch(), y.epoch());
      assertEquals(x.lr(), y.lr(), "epoch " + x.epoch() + " learning rate");
      assertEquals(x.trainLoss(), y.trainLoss(), "epoch " + x.epoch() + " train loss");
      assertEquals(x.valLoss(), y.valLoss(), "epoch " + x.epoch() + " val loss");
      if (i < a.size() - 2) {
        continue; // pruned: the bucket keeps the last two epochs' checkpoints
      }
      Map<String, Checkpoint.Tensor> p = decoded(a.get(i)).parameters();
      Map<String, Checkpoint.Tensor> q = decoded(b.get(i)).parameters();
      assertEquals(p.keySet(), q.keySet());
      for (String name : p.keySet()) {
        assertArrayEquals(
            p.get(name).values(), q.get(name).values(), "epoch " + x.epoch() + " " + name);
      }
    }
  }

  private static Checkpoint decoded(EpochResult r) {
    return CheckpointCodec.decode(store.get(r.checkpointKey()));
  }

  @Test
  void backToBackTheyTrainWhatOneActivityPerEpochTrains() {
    List<EpochResult> alone = onePerActivity("alone");
    List<Object> reported = new ArrayList<>();
    List<EpochResult> together =
        new ConsecutiveEpochs(liveEpochs)
            .train(task("together", PARAMS, 3600), null, 1, reported::add);
    assertSameEpochs(alone, together);
    List<EpochResult> fromTheBucket =
        new ConsecutiveEpochs(epochs).train(task("bucket", PARAMS, 3600), null, 1, d -> {});
    assertSameEpochs(alone, fromTheBucket);
    // every epoch's objects are stored when the call returns, the old checkpoints pruned
    assertTrue(store.exists(together.get(3).checkpointKey()));
    assertTrue(store.exists(together.get(2).checkpointKey()));
    assertTrue(
        !store.exists(together.get(0).checkpointKey())
            || together.get(0).metrics().valLoss() <= together.get(3).metrics().valLoss(),
        "epoch 1 kept only as the best");
    // the progress late in epoch 3 carries epochs 1 and 2 (stored by then), with their checkpoints
    EpochProgress third =
        reported.stream()
            .map(EpochProgress.class::cast)
            .filter(p -> p.epoch() == 3)
            .reduce((a, b) -> b)
            .orElseThrow();
    assertEquals(2, third.done().size());
    assertEquals(together.get(1).checkpointKey(), third.done().get(1).checkpointKey());
  }

  @Test
  void aRetryContinuesAfterTheEpochsItsLastHeartbeatCarried() {
    List<EpochResult> whole =
        new ConsecutiveEpochs(epochs).train(task("whole", PARAMS, 3600), null, 1, d -> {});
    // The first attempt died in epoch 3 after heartbeating epochs 1 and 2 (here: a clock that
    // ends it after epoch 2).
    AtomicLong now = new AtomicLong();
    List<EpochResult> firstAttempt =
        new ConsecutiveEpochs(epochs, () -> now.getAndAdd(1_000_000_000L))
            .train(task("retried", PARAMS, 2), null, 1, d -> {});
    assertEquals(2, firstAttempt.size());
    List<Object> reported = new ArrayList<>();
    List<EpochResult> retried =
        new ConsecutiveEpochs(epochs)
            .train(task("retried", PARAMS, 3600), firstAttempt, 2, reported::add);
    assertSameEpochs(whole, retried);
    assertTrue(
        reported.stream().map(EpochProgress.class::cast).allMatch(p -> p.epoch() >= 3),
        "epochs 1 and 2 are not trained again");
    assertEquals(2, retried.get(2).resumedFromEpoch(), "epoch 3 restarted from epoch 2");
    assertEquals(null, retried.get(3).resumedFromEpoch());
  }

  @Test
  void theTimeBudgetAndThePatienceEndAnActivity() {
    AtomicLong now = new AtomicLong();
    // every look at this clock finds a second gone: a 2 s budget ends the activity after epoch 2
    List<EpochResult> budgeted =
        new ConsecutiveEpochs(epochs, () -> now.getAndAdd(1_000_000_000L))
            .train(task("budget", PARAMS, 2), null, 1, d -> {});
    assertEquals(2, budgeted.size());

    // a best epoch 1 with a loss nothing beats and patience 1: epoch 2 ends the activity
    TrainingParams patient = PARAMS.toBuilder().earlyStoppingPatience(1).build();
    EpochsTask task = task("patience", patient, 3600);
    // epoch 2 needs a checkpoint of epoch 1: train it first
    EpochResult first = epochs.train(task.first(), 1, d -> {});
    EpochsTask afterBest =
        new EpochsTask(
            new EpochTask(
                task.first().arm(),
                data,
                2,
                task.first().learningRate(),
                first.checkpointKey(),
                null),
            List.of(first.metrics()),
            new BestEpoch(1, 0.0),
            3600);
    List<EpochResult> stopped = new ConsecutiveEpochs(epochs).train(afterBest, null, 1, d -> {});
    assertEquals(1, stopped.size(), "epoch 2 exhausts a patience of 1 after best epoch 1");
  }
}
