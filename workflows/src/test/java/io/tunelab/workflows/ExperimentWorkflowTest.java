package io.tunelab.workflows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import io.tunelab.workflows.model.ArmResult;
import io.tunelab.workflows.model.Device;
import io.tunelab.workflows.model.ExperimentSpec;
import io.tunelab.workflows.model.PretrainSpec;
import io.tunelab.workflows.model.RunState;
import io.tunelab.workflows.model.RunStatus;
import io.tunelab.workflows.model.SampleShape;
import io.tunelab.workflows.model.Schedule;
import io.tunelab.workflows.model.TrainingParams;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ExperimentWorkflowTest {
  @RegisterExtension
  static final TestWorkflowExtension testWorkflow =
      TestWorkflowExtension.newBuilder()
          .registerWorkflowImplementationTypes(
              ExperimentWorkflowImpl.class, PretrainWorkflowImpl.class)
          .setDoNotStart(true)
          .build();

  static TrainingParams params(int epochs, int patience) {
    return TrainingParams.builder()
        .epochs(epochs)
        .batchSize(32)
        .learningRate(0.001)
        .earlyStoppingPatience(patience)
        .seed(1)
        .device(Device.CPU)
        .build();
  }

  static ExperimentSpec spec(String runId, int epochs, int patience) {
    return ExperimentSpec.builder()
        .runId(runId)
        .source("/data/x")
        .pretrained("src-model")
        .finetune(params(epochs, patience))
        .scratchLearningRate(0.002)
        .build();
  }

  private FakeActivities start(TestWorkflowEnvironment env, Worker worker) {
    FakeActivities fakes = new FakeActivities();
    worker.registerActivitiesImplementations(fakes.all());
    Worker training = env.newWorker(TaskQueues.training(worker.getTaskQueue()));
    training.registerActivitiesImplementations(fakes.new Training(), fakes.new Probe());
    return fakes;
  }

  private static ExperimentWorkflow stub(WorkflowClient client, Worker worker, String id) {
    return client.newWorkflowStub(
        ExperimentWorkflow.class,
        WorkflowOptions.newBuilder().setWorkflowId(id).setTaskQueue(worker.getTaskQueue()).build());
  }

  @Test
  void runsBothArmsComparesAndReports(
      TestWorkflowEnvironment env, WorkflowClient client, Worker worker) {
    FakeActivities fakes = start(env, worker);
    env.start();
    RunState state = stub(client, worker, "run-1").run(spec("run-1", 3, 0));

    assertEquals(RunStatus.COMPLETED, state.status());
    ArmResult finetune = state.arms().get("finetune");
    ArmResult scratch = state.arms().get("scratch");
    assertEquals(3, finetune.epochs().size());
    assertEquals(3, scratch.epochs().size());
    assertEquals(3, finetune.bestEpoch());
    assertEquals(0.9, finetune.test().acc());
    assertEquals("finetune", state.comparison().winner());
    assertEquals("runs/run-1/report.json", state.reportKey());
    // finetune starts from the registered parameters, scratch from nothing; scratch uses its own lr
    assertTrue(
        fakes.epochTasks.stream()
            .filter(t -> t.arm().arm().wire().equals("finetune"))
            .allMatch(
                t -> "models/src-model/v1/checkpoint.bin".equals(t.arm().initParametersKey())));
    assertTrue(
        fakes.epochTasks.stream()
            .filter(t -> t.arm().arm().wire().equals("scratch"))
            .allMatch(t -> t.arm().initParametersKey() == null && t.learningRate() == 0.002));
    // every epoch after the first continues from the previous epoch's checkpoint
    assertTrue(
        fakes.epochTasks.stream()
            .filter(t -> t.epoch() > 1)
            .allMatch(t -> t.previousCheckpointKey().endsWith("/epoch-" + (t.epoch() - 1))));
    assertTrue(fakes.calls.contains("finish COMPLETED"));
    assertEquals(
        List.of("run-1 runs/run-1/finetune/epoch-3"),
        fakes.probeRuns,
        "probes run once, on the fine-tune arm's best checkpoint");
  }

  @Test
  void noProbesSkipsTheProbeActivityButStillDiagnosesAndReports(
      TestWorkflowEnvironment env, WorkflowClient client, Worker worker) {
    FakeActivities fakes = start(env, worker);
    env.start();
    RunState state = stub(client, worker, "run-np").run(spec("run-np", 2, 0).withoutProbes());

    assertEquals(RunStatus.COMPLETED, state.status());
    assertEquals(List.of(), fakes.probeRuns, "--no-probes: no probe activity");
    assertTrue(fakes.calls.contains("diagnose"), "findings from the curves alone");
    assertEquals("runs/run-np/report.json", state.reportKey());
    assertTrue(fakes.calls.contains("finish COMPLETED"));
  }

  @Test
  void anEpochContinuedFromAnInEpochCheckpointIsNoted(
      TestWorkflowEnvironment env, WorkflowClient client, Worker worker) {
    FakeActivities fakes = start(env, worker);
    fakes.continuedAtStep.put("finetune/2", 120);
    env.start();
    RunState state = stub(client, worker, "run-ic").run(spec("run-ic", 3, 0));

    ArmResult finetune = state.arms().get("finetune");
    assertEquals(3, finetune.epochs().size());
    assertEquals(1, finetune.resumedFromEpoch());
    assertTrue(
        finetune
            .notes()
            .contains(
                "epoch 2 continued from its in-epoch checkpoint at step 120 after an attempt failed"),
        finetune.notes().toString());
    assertTrue(state.arms().get("scratch").notes().isEmpty());
  }

  @Test
  void anEpochZeroIsEvidenceOnlyNeverTheBestEpochNorATrainedOne(
      TestWorkflowEnvironment env, WorkflowClient client, Worker worker) {
    FakeActivities fakes = start(env, worker);
    // The start beats every trained epoch; patience 2 counts trained epochs only.
    fakes.startLosses.put("finetune", 0.2);
    fakes.valLosses.put("finetune", new double[] {1.0, 0.7, 0.75, 0.8, 0.9, 1.0});
    env.start();
    RunState state = stub(client, worker, "run-e0").run(spec("run-e0", 6, 2));

    ArmResult finetune = state.arms().get("finetune");
    assertEquals(List.of(0, 1, 2, 3, 4), finetune.epochs().stream().map(m -> m.epoch()).toList());
    assertEquals(0.2, finetune.epochs().get(0).valLoss());
    assertEquals(4, finetune.trainedEpochs());
    assertEquals(2, finetune.bestEpoch());
    assertTrue(finetune.stoppedEarly());
    EvaluationTask_assertBest(fakes, "finetune", "runs/run-e0/finetune/epoch-2");
    assertEquals(1, state.arms().get("scratch").epochs().get(0).epoch(), "no start: from epoch 1");
  }

  @Test
  void earlyStoppingKeepsTheBestEpochForTheTest(
      TestWorkflowEnvironment env, WorkflowClient client, Worker worker) {
    FakeActivities fakes = start(env, worker);
    fakes.valLosses.put("finetune", new double[] {1.0, 0.7, 0.75, 0.8, 0.9, 1.0});
    env.start();
    RunState state = stub(client, worker, "run-2").run(spec("run-2", 6, 2));

    ArmResult finetune = state.arms().get("finetune");
    assertEquals(4, finetune.epochs().size(), "stops two epochs after the best");
    assertTrue(finetune.stoppedEarly());
    assertEquals(2, finetune.bestEpoch());
    EvaluationTask_assertBest(fakes, "finetune", "runs/run-2/finetune/epoch-2");
    assertFalse(state.arms().get("scratch").stoppedEarly());
  }

  @Test
  void improvementsSmallerThanMinDeltaDoNotCount(
      TestWorkflowEnvironment env, WorkflowClient client, Worker worker) {
    FakeActivities fakes = start(env, worker);
    fakes.valLosses.put("finetune", new double[] {1.0, 0.995, 0.99, 0.985, 0.98});
    env.start();
    TrainingParams p = params(5, 2).toBuilder().minDelta(0.05).build();
    RunState state =
        stub(client, worker, "run-5")
            .run(
                ExperimentSpec.builder()
                    .runId("run-5")
                    .source("/data/x")
                    .pretrained("src-model")
                    .finetune(p)
                    .scratchLearningRate(0.002)
                    .scratch(false)
                    .build());
    ArmResult finetune = state.arms().get("finetune");
    assertEquals(1, finetune.bestEpoch(), "tiny improvements are not improvements");
    assertEquals(3, finetune.epochs().size());
    assertTrue(finetune.stoppedEarly());
  }

  private static void EvaluationTask_assertBest(FakeActivities fakes, String arm, String key) {
    assertTrue(
        fakes.evaluations.stream()
            .anyMatch(
                e ->
                    e.arm().arm().wire().equals(arm)
                        && e.checkpointKey().equals(key)
                        && e.split().equals("test")),
        "test evaluates " + key);
  }

  @Test
  void divergedArmEndsCleanlyAndTheRunCompletes(
      TestWorkflowEnvironment env, WorkflowClient client, Worker worker) {
    FakeActivities fakes = start(env, worker);
    fakes.valLosses.put("scratch", new double[] {2.0, Double.NaN, 1.0});
    env.start();
    RunState state = stub(client, worker, "run-3").run(spec("run-3", 3, 0));

    assertEquals(RunStatus.COMPLETED, state.status());
    ArmResult scratch = state.arms().get("scratch");
    assertEquals(2, scratch.epochs().size());
    assertEquals(1, scratch.bestEpoch());
    assertTrue(scratch.error().contains("diverged"), scratch.error());
    assertEquals(RunStatus.COMPLETED, state.arms().get("finetune").status());
  }

  @Test
  void badInputFailsTheRunWithoutRetryAndStillReports(
      TestWorkflowEnvironment env, WorkflowClient client, Worker worker) {
    FakeActivities fakes = start(env, worker);
    fakes.ingestError = "class 'cat' has no usable image";
    env.start();
    WorkflowFailedException failure =
        assertThrows(
            WorkflowFailedException.class,
            () -> stub(client, worker, "run-4").run(spec("run-4", 3, 0)));
    assertEquals(ActivityStubs.BAD_INPUT, Failures.type(failure));
    assertEquals("class 'cat' has no usable image", Failures.message(failure));
    assertEquals(
        1, fakes.calls.stream().filter(c -> c.startsWith("ingest")).count(), "not retried");
    RunState reported = fakes.reports.get(fakes.reports.size() - 1);
    assertEquals(RunStatus.FAILED, reported.status());
    assertNull(reported.dataset());
    assertTrue(fakes.calls.contains("finish FAILED"));
  }

  @Test
  void pretrainRegistersTheBestCheckpoint(
      TestWorkflowEnvironment env, WorkflowClient client, Worker worker) {
    FakeActivities fakes = start(env, worker);
    fakes.valLosses.put("pretrain", new double[] {1.0, 0.5, 0.6});
    env.start();
    PretrainWorkflow workflow =
        client.newWorkflowStub(
            PretrainWorkflow.class,
            WorkflowOptions.newBuilder()
                .setWorkflowId("pre-1")
                .setTaskQueue(worker.getTaskQueue())
                .build());
    RunState state =
        workflow.pretrain(
            new PretrainSpec(
                "pre-1",
                "/data/src",
                List.of(),
                0,
                "src-model",
                "cnn",
                28,
                params(3, 0),
                null,
                null));
    assertEquals(RunStatus.COMPLETED, state.status());
    assertTrue(
        fakes.calls.contains("register src-model runs/pre-1/pretrain/epoch-2"),
        fakes.calls.toString());
    assertEquals("src-model", state.registered().name());
  }

  @Test
  void aTablesEpochsRunSeveralToAnActivityAndEndAsOnePerActivityWould(
      TestWorkflowEnvironment env, WorkflowClient client, Worker worker) {
    FakeActivities fakes = start(env, worker);
    fakes.valLosses.put(
        "finetune", new double[] {1.0, 0.7, 0.75, 0.6, 0.65, 0.5, 0.7, 0.8, 0.9, 1.0});
    fakes.valLosses.put("scratch", new double[] {2.0, 1.5, 1.4, 1.3, Double.NaN});
    env.start();
    TrainingParams p = params(10, 2).toBuilder().schedule(Schedule.PLATEAU).warmupEpochs(1).build();
    ExperimentSpec images =
        ExperimentSpec.builder()
            .runId("img")
            .source("/data/x")
            .pretrained("src-model")
            .finetune(p)
            .scratchLearningRate(0.002)
            .build();
    RunState one = stub(client, worker, "img").run(images);
    assertTrue(fakes.epochsTasks.isEmpty(), "images train one epoch per activity");
    int perEpoch = fakes.epochTasks.size();

    fakes.shape = SampleShape.table(10);
    RunState several = stub(client, worker, "tbl").run(images.toBuilder().runId("tbl").build());

    for (String arm : List.of("finetune", "scratch")) {
      ArmResult a = one.arms().get(arm);
      ArmResult b = several.arms().get(arm);
      assertEquals(a.epochs(), b.epochs(), arm + ": the same epochs, learning rates included");
      assertEquals(a.bestEpoch(), b.bestEpoch(), arm);
      assertEquals(a.stoppedEarly(), b.stoppedEarly(), arm);
      assertEquals(a.error(), b.error(), arm);
      assertEquals(a.status(), b.status(), arm);
    }
    assertEquals(8, several.arms().get("finetune").epochs().size(), "patience 2 after epoch 6");
    assertEquals(2 * perEpoch, fakes.epochTasks.size(), "every epoch trained once");
    // finetune: epochs 1-3, 4-6, 7-8 (stopped early); scratch: 1-3, 4-5 (diverged)
    List<String> activities =
        fakes.epochsTasks.stream()
            .map(t -> t.first().arm().arm().wire() + " " + t.first().epoch())
            .sorted()
            .toList();
    assertEquals(
        List.of("finetune 1", "finetune 4", "finetune 7", "scratch 1", "scratch 4"), activities);
    for (var t : fakes.epochsTasks) {
      assertEquals(t.first().epoch() - 1, t.history().size(), "the history before the first");
    }
  }
}
