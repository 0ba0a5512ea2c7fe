package io.tunelab.workflows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.common.SearchAttributeKey;
import io.temporal.failure.CanceledFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import io.tunelab.workflows.model.ArmResult;
import io.tunelab.workflows.model.RunState;
import io.tunelab.workflows.model.RunStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Semaphore;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The run's signals against scripted activities whose epochs end when the test says: stop one arm
 * at its epoch boundary, pause and unpause, cancel a paused run; and the search attributes a run
 * upserts as its epochs finish.
 */
class RunControlTest {
  @RegisterExtension
  static final TestWorkflowExtension testWorkflow =
      TestWorkflowExtension.newBuilder()
          .registerWorkflowImplementationTypes(
              ExperimentWorkflowImpl.class, PretrainWorkflowImpl.class)
          .setDoNotStart(true)
          .build();

  private FakeActivities start(TestWorkflowEnvironment env, Worker worker, String... gatedArms) {
    FakeActivities fakes = new FakeActivities();
    for (String arm : gatedArms) {
      fakes.gates.put(arm, new Semaphore(0));
    }
    worker.registerActivitiesImplementations(fakes.all());
    env.newWorker(TaskQueues.training(worker.getTaskQueue()))
        .registerActivitiesImplementations(fakes.new Training(), fakes.new Probe());
    env.start();
    return fakes;
  }

  private static ExperimentWorkflow launch(
      WorkflowClient client, Worker worker, String id, int epochs) {
    ExperimentWorkflow workflow =
        client.newWorkflowStub(
            ExperimentWorkflow.class,
            WorkflowOptions.newBuilder()
                .setWorkflowId(id)
                .setTaskQueue(worker.getTaskQueue())
                .build());
    WorkflowClient.start(workflow::run, ExperimentWorkflowTest.spec(id, epochs, 0));
    return workflow;
  }

  private static RunState waitFor(
      ExperimentWorkflow workflow, Predicate<RunState> condition, String what)
      throws InterruptedException {
    Instant end = Instant.now().plus(Duration.ofSeconds(30));
    RunState state = null;
    while (Instant.now().isBefore(end)) {
      state = workflow.state();
      if (state != null && condition.test(state)) {
        return state;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("timed out waiting for " + what + "; last state " + state);
  }

  private static int epochs(RunState state, String arm) {
    ArmResult a = state.arms().get(arm);
    return a == null ? 0 : a.epochs().size();
  }

  private static long started(FakeActivities fakes, String arm) {
    return fakes.epochTasks.stream().filter(t -> t.arm().arm().wire().equals(arm)).count();
  }

  @Test
  void stopEndsOneArmAtItsNextEpochBoundaryAndTheOtherRunsOn(
      TestWorkflowEnvironment env, WorkflowClient client, Worker worker) throws Exception {
    FakeActivities fakes = start(env, worker, "finetune");
    fakes.valLosses.put("finetune", new double[] {1.0, 0.6, 0.7, 0.5, 0.4});
    ExperimentWorkflow workflow = launch(client, worker, "stop-1", 5);
    fakes.gates.get("finetune").release(3);
    waitFor(
        workflow,
        s -> epochs(s, "finetune") == 3 && started(fakes, "finetune") == 4,
        "finetune's epoch 4 in flight");

    workflow.stopArm("finetune");
    fakes.gates.get("finetune").release(10);
    RunState done = WorkflowStub.fromTyped(workflow).getResult(RunState.class);

    ArmResult finetune = done.arms().get("finetune");
    assertEquals(RunStatus.COMPLETED, done.status());
    assertEquals(4, finetune.epochs().size(), "the epoch in flight finishes, no other starts");
    assertEquals(4, started(fakes, "finetune"));
    assertTrue(finetune.stoppedEarly());
    assertEquals(4, finetune.bestEpoch());
    assertTrue(
        finetune.notes().stream().anyMatch(n -> n.startsWith("stopped on request after epoch 4")),
        finetune.notes().toString());
    assertTrue(
        fakes.evaluations.stream()
            .anyMatch(
                e ->
                    e.arm().arm().wire().equals("finetune")
                        && e.checkpointKey().equals("runs/stop-1/finetune/epoch-4")),
        "the best checkpoint is tested");
    ArmResult scratch = done.arms().get("scratch");
    assertEquals(5, scratch.epochs().size(), "the other arm runs on");
    assertFalse(scratch.stoppedEarly());
  }

  @Test
  void stopBeforeTrainingStartsLetsEachArmFinishOneEpoch(
      TestWorkflowEnvironment env, WorkflowClient client, Worker worker) {
    FakeActivities fakes = start(env, worker);
    ExperimentWorkflow workflow =
        client.newWorkflowStub(
            ExperimentWorkflow.class,
            WorkflowOptions.newBuilder()
                .setWorkflowId("stop-2")
                .setTaskQueue(worker.getTaskQueue())
                .build());
    WorkflowStub untyped = WorkflowStub.fromTyped(workflow);
    untyped.signalWithStart(
        "stopArm",
        new Object[] {RunControl.ALL_ARMS},
        new Object[] {ExperimentWorkflowTest.spec("stop-2", 5, 0)});
    RunState done = untyped.getResult(RunState.class);
    for (String arm : new String[] {"finetune", "scratch"}) {
      assertEquals(1, done.arms().get(arm).epochs().size(), arm);
      assertTrue(done.arms().get(arm).stoppedEarly(), arm);
      assertEquals(RunStatus.COMPLETED, done.arms().get(arm).status(), arm);
    }
    assertEquals(2, fakes.epochTasks.size());
  }

  @Test
  void pauseHoldsTheNextEpochUntilUnpaused(
      TestWorkflowEnvironment env, WorkflowClient client, Worker worker) throws Exception {
    FakeActivities fakes = start(env, worker, "finetune", "scratch");
    ExperimentWorkflow workflow = launch(client, worker, "pause-1", 3);
    waitFor(
        workflow,
        s -> started(fakes, "finetune") == 1 && started(fakes, "scratch") == 1,
        "both arms' first epoch in flight");

    workflow.pause();
    fakes.gates.values().forEach(g -> g.release(10));
    RunState paused =
        waitFor(
            workflow,
            s -> epochs(s, "finetune") == 1 && epochs(s, "scratch") == 1,
            "the epochs in flight to finish");
    Thread.sleep(1500);
    assertEquals(2, fakes.epochTasks.size(), "no epoch starts while paused");
    paused = workflow.state();
    assertTrue(paused.phase().startsWith("PAUSED"), paused.phase());
    assertEquals(RunStatus.RUNNING, paused.status());

    workflow.unpause();
    RunState done = WorkflowStub.fromTyped(workflow).getResult(RunState.class);
    assertEquals(RunStatus.COMPLETED, done.status());
    assertEquals(3, done.arms().get("finetune").epochs().size());
    assertEquals(3, done.arms().get("scratch").epochs().size());
    assertFalse(done.phase().startsWith("PAUSED"));
  }

  @Test
  void aPausedRunCanBeCanceledAndReportsCanceled(
      TestWorkflowEnvironment env, WorkflowClient client, Worker worker) throws Exception {
    FakeActivities fakes = start(env, worker, "finetune", "scratch");
    ExperimentWorkflow workflow = launch(client, worker, "pause-2", 3);
    workflow.pause();
    fakes.gates.values().forEach(g -> g.release(10));
    // paused before the first epoch boundary: the arms wait there
    waitFor(
        workflow,
        s -> s.arms().size() == 2 && s.phase().startsWith("PAUSED"),
        "both arms at their first epoch boundary");
    Thread.sleep(500);
    assertEquals(0, fakes.epochTasks.size(), "no epoch starts while paused");

    WorkflowStub stub = WorkflowStub.fromTyped(workflow);
    stub.cancel();
    WorkflowFailedException failure =
        assertThrows(WorkflowFailedException.class, () -> stub.getResult(RunState.class));
    assertInstanceOf(CanceledFailure.class, failure.getCause());
    assertTrue(fakes.calls.contains("finish CANCELED"), fakes.calls.toString());
    assertEquals(RunStatus.CANCELED, fakes.reports.get(fakes.reports.size() - 1).status());
  }

  @Test
  void aRunCanceledDuringAnEpochEndsCanceledNotFailed(
      TestWorkflowEnvironment env, WorkflowClient client, Worker worker) throws Exception {
    FakeActivities fakes = start(env, worker, "finetune", "scratch");
    ExperimentWorkflow workflow = launch(client, worker, "cancel-1", 3);
    fakes.gates.values().forEach(g -> g.release(1));
    waitFor(
        workflow,
        s -> epochs(s, "finetune") == 1 && started(fakes, "finetune") == 2,
        "finetune's epoch 2 in flight");

    WorkflowStub stub = WorkflowStub.fromTyped(workflow);
    stub.cancel();
    WorkflowFailedException failure =
        assertThrows(WorkflowFailedException.class, () -> stub.getResult(RunState.class));
    assertInstanceOf(CanceledFailure.class, failure.getCause());
    assertTrue(fakes.calls.contains("finish CANCELED"), fakes.calls.toString());
    RunState reported = fakes.reports.get(fakes.reports.size() - 1);
    assertEquals(RunStatus.CANCELED, reported.status());
    assertEquals(
        1, reported.arms().get("finetune").epochs().size(), "the finished epoch is reported");
    fakes.gates.values().forEach(g -> g.release(10));
  }

  @Test
  void aRunStartedWithSearchAttributesUpsertsTheBestValidationAccuracyPerArm(
      TestWorkflowEnvironment env, WorkflowClient client, Worker worker) {
    for (SearchAttributeKey<?> key : Visibility.KEYS) {
      env.registerSearchAttribute(key.getName(), key.getValueType());
    }
    start(env, worker);
    var spec = ExperimentWorkflowTest.spec("sa-1", 3, 0);
    ExperimentWorkflow workflow =
        client.newWorkflowStub(
            ExperimentWorkflow.class,
            WorkflowOptions.newBuilder()
                .setWorkflowId("sa-1")
                .setTaskQueue(worker.getTaskQueue())
                .setTypedSearchAttributes(Visibility.atStart(spec))
                .setMemo(Visibility.memo(spec))
                .setStaticSummary(Visibility.summary(spec))
                .build());
    RunState done = workflow.run(spec);
    assertEquals(RunStatus.COMPLETED, done.status());

    var description =
        client
            .getWorkflowServiceStubs()
            .blockingStub()
            .describeWorkflowExecution(
                io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest.newBuilder()
                    .setNamespace(env.getNamespace())
                    .setExecution(
                        io.temporal.api.common.v1.WorkflowExecution.newBuilder()
                            .setWorkflowId("sa-1"))
                    .build());
    var fields = description.getWorkflowExecutionInfo().getSearchAttributes().getIndexedFieldsMap();
    assertTrue(fields.containsKey("TunelabFinetuneBestValAcc"), fields.keySet().toString());
    assertTrue(fields.containsKey("TunelabScratchBestValAcc"), fields.keySet().toString());
    assertEquals("\"src-model\"", fields.get("TunelabPretrained").getData().toStringUtf8());
    // the fakes' validation accuracy is 0.5 + 0.04 * epoch: 0.62 after epoch 3
    assertEquals(
        "0.62", fields.get("TunelabFinetuneBestValAcc").getData().toStringUtf8().substring(0, 4));
    assertTrue(
        description.getWorkflowExecutionInfo().getMemo().getFieldsMap().containsKey("pretrained"));
  }

  @Test
  void aRunStartedWithoutSearchAttributesUpsertsNothing(
      TestWorkflowEnvironment env, WorkflowClient client, Worker worker) {
    start(env, worker);
    ExperimentWorkflow workflow =
        client.newWorkflowStub(
            ExperimentWorkflow.class,
            WorkflowOptions.newBuilder()
                .setWorkflowId("sa-2")
                .setTaskQueue(worker.getTaskQueue())
                .build());
    assertEquals(
        RunStatus.COMPLETED, workflow.run(ExperimentWorkflowTest.spec("sa-2", 2, 0)).status());
    String history = client.fetchHistory("sa-2").toJson(false);
    assertFalse(
        history.contains("TunelabFinetuneBestValAcc"), "no upsert the namespace might reject");
  }
}
