package io.tunelab.activities;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.activity.ActivityOptions;
import io.temporal.testing.TestActivityEnvironment;
import io.tunelab.dataset.LabeledImages;
import io.tunelab.dataset.ShardCache;
import io.tunelab.dataset.ShardCodec;
import io.tunelab.evaluation.ArmEvaluations;
import io.tunelab.evaluation.Evaluator;
import io.tunelab.infra.CredentialStore;
import io.tunelab.infra.EmbeddedObjectStore;
import io.tunelab.infra.S3Credentials;
import io.tunelab.storage.Json;
import io.tunelab.storage.Keys;
import io.tunelab.storage.ObjectStore;
import io.tunelab.storage.StoreConfig;
import io.tunelab.training.ArmEpochs;
import io.tunelab.training.EpochJob;
import io.tunelab.training.EpochProgress;
import io.tunelab.training.EpochTrainer;
import io.tunelab.training.FashionMnist;
import io.tunelab.training.LiveModels;
import io.tunelab.training.PartialEpoch;
import io.tunelab.training.PartialSink;
import io.tunelab.training.TorchThread;
import io.tunelab.workflows.activities.TrainingActivities;
import io.tunelab.workflows.model.Arm;
import io.tunelab.workflows.model.ArmSpec;
import io.tunelab.workflows.model.Augment;
import io.tunelab.workflows.model.DatasetRef;
import io.tunelab.workflows.model.Device;
import io.tunelab.workflows.model.EpochResult;
import io.tunelab.workflows.model.EpochTask;
import io.tunelab.workflows.model.Optimizer;
import io.tunelab.workflows.model.TrainingParams;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The epoch activity with {@code --checkpoint-every}: it saves the epoch in flight to the bucket
 * with a progress record written after it; an attempt that finds them continues from there and ends
 * exactly as an uninterrupted epoch; an unusable one is ignored. Real training, a real S3 endpoint,
 * Temporal's activity test environment.
 */
@Tag("integration")
class InEpochCheckpointTest {
  @TempDir static Path home;
  static EmbeddedObjectStore s3;
  static ObjectStore store;
  static DatasetRef data;
  static LabeledImages train;
  static LabeledImages val;
  static final TrainingParams PARAMS =
      TrainingParams.builder()
          .epochs(3)
          .batchSize(32)
          .learningRate(1e-3)
          .optimizer(Optimizer.ADAM)
          .augment(Augment.LIGHT)
          .seed(5)
          .device(Device.CPU)
          .checkpointEverySeconds(1)
          .build();

  @BeforeAll
  static void start() throws Exception {
    S3Credentials creds = CredentialStore.resolve(home, null, null);
    s3 = EmbeddedObjectStore.start(home.resolve("objects"), 0, creds, "tunelab");
    store =
        ObjectStore.connect(
            new StoreConfig(s3.endpoint(), creds.accessKey(), creds.secretKey(), "tunelab"));
    train = FashionMnist.subset(FashionMnist.train(), 0, 320);
    val = FashionMnist.subset(FashionMnist.test(), 0, 100);
    store.put("datasets/in-epoch/train.shard", ShardCodec.encode(train));
    store.put("datasets/in-epoch/val.shard", ShardCodec.encode(val));
    List<String> classes = new ArrayList<>();
    for (int c = 0; c < 10; c++) {
      classes.add("c" + c);
    }
    data =
        new DatasetRef(
            "in-epoch",
            "m",
            "p",
            Map.of(
                "train",
                "datasets/in-epoch/train.shard",
                "val",
                "datasets/in-epoch/val.shard",
                "test",
                "datasets/in-epoch/val.shard"),
            classes,
            train.shape(),
            Map.of(),
            0,
            0,
            null);
  }

  @AfterAll
  static void stop() {
    s3.close();
  }

  private static EpochTask task(String runId) {
    return new EpochTask(
        new ArmSpec(runId, Arm.FINETUNE, "cnn", PARAMS, null, 0, null, null),
        data,
        1,
        1e-3,
        null,
        null);
  }

  /** The training activities of a worker over {@code store}; {@code unit} is one "second". */
  static TrainingActivitiesImpl training(ShardCache shards, Duration unit) {
    LiveModels live = new LiveModels(LiveModels.DEFAULT_CAPACITY);
    return new TrainingActivitiesImpl(
        new ArmEpochs(store, shards, new EpochTrainer(), TorchThread.shared(), live, unit),
        new ArmEvaluations(store, shards, new Evaluator(), TorchThread.shared(), live));
  }

  /** Runs epoch 1 in a fresh activity environment; {@code unit} is one "second". */
  private static EpochResult epoch(
      String runId,
      Duration unit,
      EpochProgress lastHeartbeat,
      Consumer<EpochProgress> heartbeats) {
    TestActivityEnvironment env = TestActivityEnvironment.newInstance();
    try {
      env.registerActivitiesImplementations(training(new ShardCache(store, 4), unit));
      if (lastHeartbeat != null) {
        env.setHeartbeatDetails(lastHeartbeat);
      }
      if (heartbeats != null) {
        env.setActivityHeartbeatListener(EpochProgress.class, heartbeats::accept);
      }
      TrainingActivities activities =
          env.newActivityStub(
              TrainingActivities.class,
              ActivityOptions.newBuilder()
                  .setStartToCloseTimeout(Duration.ofMinutes(5))
                  .setHeartbeatTimeout(Duration.ofMinutes(1))
                  .build());
      return activities.trainEpoch(task(runId));
    } finally {
      env.close();
    }
  }

  @Test
  void savesTheEpochInFlightAndItsProgressAndRemovesThemAtTheEnd() throws Exception {
    String progressKey = Keys.partialProgress("save", Arm.FINETUNE, 1);
    List<EpochProgress.Saved> seen = Collections.synchronizedList(new ArrayList<>());
    java.util.concurrent.atomic.AtomicBoolean done =
        new java.util.concurrent.atomic.AtomicBoolean();
    Thread watcher =
        new Thread(
            () -> {
              // (the client's calls swallow interrupts: a flag ends the loop)
              while (!done.get()) {
                try {
                  seen.add(Json.read(store.get(progressKey), EpochProgress.Saved.class));
                } catch (RuntimeException e) {
                  // not there (yet, or any more)
                }
              }
            });
    watcher.start();
    EpochResult result;
    try {
      result = epoch("save", Duration.ofNanos(1), null, null);
    } finally {
      done.set(true);
      watcher.join();
    }

    assertFalse(seen.isEmpty(), "the progress record was in the bucket during the epoch");
    for (EpochProgress.Saved saved : seen) {
      assertEquals(Keys.partialCheckpoint("save", Arm.FINETUNE, 1), saved.key());
      assertTrue(saved.steps() >= 1 && saved.steps() <= 9, "saved after steps 1-9 of 10");
      assertEquals(32 * saved.steps(), saved.seen());
      assertNull(saved.startedFrom(), "epoch 1 starts from no checkpoint");
    }
    assertNull(result.resumedAtStep());
    assertFalse(store.exists(progressKey), "the progress record goes once the epoch is done");
    assertFalse(store.exists(Keys.partialCheckpoint("save", Arm.FINETUNE, 1)));
  }

  @Test
  void anAttemptContinuesFromTheInEpochCheckpointOfTheFailedOne() {
    EpochResult uninterrupted = epoch("whole", Duration.ofDays(1), null, null);

    // What a killed attempt leaves: the epoch saved after step 6 and the heartbeat naming it.
    EpochTrainer trainer = new EpochTrainer();
    PartialEpoch[] saved = new PartialEpoch[1];
    int[] steps = {0};
    trainer.run(
        new EpochJob(
            "cnn",
            train.shape(),
            10,
            PARAMS,
            1,
            1e-3,
            train,
            val,
            null,
            null,
            io.tunelab.dataset.AugmentationPolicy.forName("light"),
            null,
            null),
        null,
        null,
        new PartialSink() {
          @Override
          public boolean due() {
            return ++steps[0] == 6;
          }

          @Override
          public void save(PartialEpoch partial) {
            saved[0] = partial;
          }
        });
    String key = Keys.partialCheckpoint("killed", Arm.FINETUNE, 1);
    store.put(key, saved[0].checkpoint());
    store.put(
        Keys.partialProgress("killed", Arm.FINETUNE, 1),
        Json.bytes(
            new EpochProgress.Saved(
                key, 6, saved[0].lossSum(), saved[0].correct(), saved[0].seen(), null)));

    EpochResult continued = epoch("killed", Duration.ofDays(1), null, null);

    assertEquals(6, continued.resumedAtStep());
    assertEquals(uninterrupted.metrics().trainLoss(), continued.metrics().trainLoss(), 0.0);
    assertEquals(uninterrupted.metrics().trainAcc(), continued.metrics().trainAcc(), 0.0);
    assertEquals(uninterrupted.metrics().valLoss(), continued.metrics().valLoss(), 0.0);
    assertEquals(uninterrupted.metrics().valAcc(), continued.metrics().valAcc(), 0.0);
    assertFalse(store.exists(key));

    // A damaged one is not used: the epoch starts over, to the same end.
    byte[] bad = saved[0].checkpoint().clone();
    bad[bad.length / 2] ^= 0x10;
    String badKey = Keys.partialCheckpoint("damaged", Arm.FINETUNE, 1);
    store.put(badKey, bad);
    store.put(
        Keys.partialProgress("damaged", Arm.FINETUNE, 1),
        Json.bytes(new EpochProgress.Saved(badKey, 6, 1, 1, 192, null)));
    EpochResult over = epoch("damaged", Duration.ofDays(1), null, null);
    assertNull(over.resumedAtStep());
    assertEquals(uninterrupted.metrics().valLoss(), over.metrics().valLoss(), 0.0);
    assertTrue(over.checkpointKey().endsWith("epoch-0001/checkpoint.bin"));
  }
}
