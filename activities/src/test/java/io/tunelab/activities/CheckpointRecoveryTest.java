package io.tunelab.activities;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import io.tunelab.dataset.DatasetIngest;
import io.tunelab.dataset.FashionMnistFolders;
import io.tunelab.dataset.Ingestor;
import io.tunelab.dataset.ShardCache;
import io.tunelab.evaluation.ArmEvaluations;
import io.tunelab.evaluation.Evaluator;
import io.tunelab.infra.CredentialStore;
import io.tunelab.infra.EmbeddedObjectStore;
import io.tunelab.infra.S3Credentials;
import io.tunelab.registry.ModelRegistry;
import io.tunelab.report.Reports;
import io.tunelab.runs.RunRecords;
import io.tunelab.storage.Json;
import io.tunelab.storage.Keys;
import io.tunelab.storage.ObjectStore;
import io.tunelab.storage.StoreConfig;
import io.tunelab.training.ArmEpochs;
import io.tunelab.training.AugmentationPreview;
import io.tunelab.training.EpochTrainer;
import io.tunelab.training.FashionMnist;
import io.tunelab.training.LiveModels;
import io.tunelab.training.TorchThread;
import io.tunelab.workflows.PretrainWorkflow;
import io.tunelab.workflows.PretrainWorkflowImpl;
import io.tunelab.workflows.TaskQueues;
import io.tunelab.workflows.activities.TrainingActivities;
import io.tunelab.workflows.model.Arm;
import io.tunelab.workflows.model.ArmResult;
import io.tunelab.workflows.model.Device;
import io.tunelab.workflows.model.EpochMetrics;
import io.tunelab.workflows.model.EpochResult;
import io.tunelab.workflows.model.EpochTask;
import io.tunelab.workflows.model.EvaluationTask;
import io.tunelab.workflows.model.Optimizer;
import io.tunelab.workflows.model.PretrainSpec;
import io.tunelab.workflows.model.RunState;
import io.tunelab.workflows.model.RunStatus;
import io.tunelab.workflows.model.TestMetrics;
import io.tunelab.workflows.model.TrainingParams;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A checkpoint that is corrupted in the bucket after it was written is detected by its checksum
 * before anything is loaded from it; the workflow trains its epoch again from the checkpoint
 * before, and the report says so. Real training, a real S3 endpoint, the real workflow; only the
 * corruption is staged.
 */
@Tag("integration")
class CheckpointRecoveryTest {
  @RegisterExtension
  static final TestWorkflowExtension testWorkflow =
      TestWorkflowExtension.newBuilder()
          .registerWorkflowImplementationTypes(PretrainWorkflowImpl.class)
          .setDoNotStart(true)
          .build();

  @TempDir static Path home;
  static EmbeddedObjectStore s3;
  static ObjectStore store;
  static Path data;

  @BeforeAll
  static void start() throws Exception {
    S3Credentials creds = CredentialStore.resolve(home, null, null);
    s3 = EmbeddedObjectStore.start(home.resolve("objects"), 0, creds, "tunelab");
    store =
        ObjectStore.connect(
            new StoreConfig(s3.endpoint(), creds.accessKey(), creds.secretKey(), "tunelab"));
    data = home.resolve("data");
    FashionMnistFolders.export(FashionMnist.train(), new int[] {0, 1, 7}, 60, 3, data);
  }

  @AfterAll
  static void stop() {
    s3.close();
  }

  /**
   * The real training activities, with one checkpoint spoiled in the bucket after it is written.
   */
  static final class SpoilingTraining implements TrainingActivities {
    final TrainingActivitiesImpl real;
    final int spoilEpoch;
    final AtomicReference<EpochMetrics> firstMetrics = new AtomicReference<>();
    volatile boolean spoiled;

    SpoilingTraining(TrainingActivitiesImpl real, int spoilEpoch) {
      this.real = real;
      this.spoilEpoch = spoilEpoch;
    }

    @Override
    public EpochResult trainEpoch(EpochTask task) {
      EpochResult result = real.trainEpoch(task);
      if (task.epoch() == spoilEpoch && !spoiled) {
        spoiled = true;
        firstMetrics.set(result.metrics());
        byte[] bytes = store.get(result.checkpointKey());
        bytes[bytes.length / 2] ^= 0x40;
        store.put(result.checkpointKey(), bytes);
      }
      return result;
    }

    @Override
    public io.tunelab.workflows.model.EpochsResult trainEpochs(
        io.tunelab.workflows.model.EpochsTask task) {
      return real.trainEpochs(task); // images train one epoch per activity
    }

    @Override
    public TestMetrics evaluate(EvaluationTask task) {
      return real.evaluate(task);
    }
  }

  @Test
  void corruptCheckpointIsDetectedAndItsEpochRetrained(
      TestWorkflowEnvironment env, WorkflowClient client, Worker worker) {
    worker.registerActivitiesImplementations(
        new DatasetActivitiesImpl(
            new DatasetIngest(store, new Ingestor(), null, AugmentationPreview::png)),
        new RegistryActivitiesImpl(new ModelRegistry(store)),
        new ReportActivitiesImpl(new Reports(store), new RunRecords(store)));
    ShardCache shards = new ShardCache(store, 4);
    LiveModels live = new LiveModels(LiveModels.DEFAULT_CAPACITY);
    SpoilingTraining training =
        new SpoilingTraining(
            new TrainingActivitiesImpl(
                new ArmEpochs(
                    store,
                    shards,
                    new EpochTrainer(),
                    TorchThread.shared(),
                    live,
                    Duration.ofSeconds(1)),
                new ArmEvaluations(store, shards, new Evaluator(), TorchThread.shared(), live)),
            2);
    env.newWorker(TaskQueues.training(worker.getTaskQueue()))
        .registerActivitiesImplementations(training);
    env.start();

    TrainingParams params =
        TrainingParams.builder()
            .epochs(4)
            .batchSize(32)
            .learningRate(0.001)
            .optimizer(Optimizer.ADAM)
            .seed(5)
            .device(Device.CPU)
            .build();
    PretrainWorkflow workflow =
        client.newWorkflowStub(
            PretrainWorkflow.class,
            WorkflowOptions.newBuilder()
                .setWorkflowId("recover-1")
                .setTaskQueue(worker.getTaskQueue())
                .build());
    RunState state =
        workflow.pretrain(
            new PretrainSpec(
                "recover-1",
                data.toString(),
                List.of(),
                0,
                "recovered",
                "cnn",
                28,
                params,
                null,
                null));

    assertEquals(RunStatus.COMPLETED, state.status());
    assertTrue(training.spoiled);
    ArmResult arm = state.arms().get("pretrain");
    assertEquals(
        List.of(1, 2, 3, 4),
        arm.epochs().stream().map(EpochMetrics::epoch).toList(),
        "every epoch once, in order");
    assertEquals(1, arm.notes().size(), arm.notes().toString());
    assertTrue(
        arm.notes().get(0).startsWith("checkpoint of epoch 2 was corrupt"), arm.notes().get(0));
    assertTrue(
        arm.notes().get(0).contains("trained again from the checkpoint of epoch 1"),
        arm.notes().get(0));
    // training is deterministic, so the retrained epoch has the metrics of the spoiled one
    assertEquals(training.firstMetrics.get().valLoss(), arm.epochs().get(1).valLoss(), 1e-9);

    JsonNode report = Json.tree(store.get(Keys.report("recover-1")));
    JsonNode notes = report.path("arms").path("pretrain").path("notes");
    assertEquals(1, notes.size());
    assertTrue(notes.get(0).asText().contains("corrupt"));

    // only the last two checkpoints and the best are kept
    List<String> kept =
        store.list(Keys.armPrefix("recover-1", Arm.PRETRAIN) + "epoch-").stream()
            .filter(k -> k.endsWith("/checkpoint.bin"))
            .toList();
    assertEquals(
        4,
        store.list(Keys.armPrefix("recover-1", Arm.PRETRAIN) + "epoch-").stream()
            .filter(k -> k.endsWith("/metrics.json"))
            .count(),
        "every epoch's metrics are kept");
    assertTrue(kept.contains(Keys.checkpoint("recover-1", Arm.PRETRAIN, 4)), kept.toString());
    assertTrue(kept.contains(Keys.checkpoint("recover-1", Arm.PRETRAIN, 3)), kept.toString());
    assertTrue(kept.contains(arm.bestCheckpointKey()), kept.toString());
    assertTrue(kept.size() <= 3, kept.toString());
    assertFalse(
        kept.contains(Keys.checkpoint("recover-1", Arm.PRETRAIN, 1)) && arm.bestEpoch() != 1,
        kept.toString());
  }
}
