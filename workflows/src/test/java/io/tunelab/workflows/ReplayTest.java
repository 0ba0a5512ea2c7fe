package io.tunelab.workflows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.Worker;
import io.tunelab.workflows.model.RunState;
import io.tunelab.workflows.model.RunStatus;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Replays committed workflow histories (golden files) against today's workflow code, so a change
 * that would break running workflows fails here. Run with {@code -Dtunelab.recordHistories=true} to
 * record them again after a deliberate change.
 */
class ReplayTest {
  /** Recorded before the diagnosis probes existed: must keep replaying (Workflow.getVersion). */
  static final String EXPERIMENT_V0 = "/histories/experiment-early-stop.json";

  /** Recorded with the diagnosis probes. */
  static final String EXPERIMENT = "/histories/experiment-probes.json";

  /** A watcher: versions found, a duplicate content, a settings update, a stop. */
  static final String WATCHER = "/histories/watcher.json";

  /**
   * Recorded with the operations: search attributes and memo on start, the scratch arm stopped by a
   * signal, best validation accuracies upserted, activity summaries.
   */
  static final String EXPERIMENT_OPS = "/histories/experiment-ops.json";

  /** A sweep of two learning rates at two seeds, at most two members at once. */
  static final String SWEEP = "/histories/sweep.json";

  @RegisterExtension
  static final TestWorkflowExtension testWorkflow =
      TestWorkflowExtension.newBuilder()
          .registerWorkflowImplementationTypes(ExperimentWorkflowImpl.class)
          .setDoNotStart(true)
          .build();

  @Test
  void historyFromBeforeTheProbesStillReplays() throws Exception {
    WorkflowExecutionHistory history = WorkflowExecutionHistory.fromJson(read(EXPERIMENT_V0));
    WorkflowReplayer.replayWorkflowExecution(history, ExperimentWorkflowImpl.class);
  }

  @Test
  void committedExperimentHistoryReplays() throws Exception {
    String json = read(EXPERIMENT);
    WorkflowExecutionHistory history = WorkflowExecutionHistory.fromJson(json);
    assertTrue(
        history.getEvents().size() > 20,
        "a real history: " + history.getEvents().size() + " events");
    WorkflowReplayer.replayWorkflowExecution(history, ExperimentWorkflowImpl.class);
  }

  @Test
  void committedWatcherHistoryReplays() throws Exception {
    WorkflowExecutionHistory history = WorkflowExecutionHistory.fromJson(read(WATCHER));
    assertTrue(
        history.getEvents().size() > 20,
        "a real history: " + history.getEvents().size() + " events");
    WorkflowReplayer.replayWorkflowExecution(history, WatcherWorkflowImpl.class);
  }

  @Test
  void committedSweepHistoryReplays() throws Exception {
    WorkflowExecutionHistory history = WorkflowExecutionHistory.fromJson(read(SWEEP));
    assertTrue(
        history.getEvents().stream()
                .filter(e -> e.hasStartChildWorkflowExecutionInitiatedEventAttributes())
                .count()
            == 4,
        "four members started");
    WorkflowReplayer.replayWorkflowExecution(history, SweepWorkflowImpl.class);
  }

  @Test
  void historyWithSignalsAndSearchAttributesReplays() throws Exception {
    String json = read(EXPERIMENT_OPS);
    assertTrue(json.contains("TunelabFinetuneBestValAcc"), "the history has the upserts");
    WorkflowReplayer.replayWorkflowExecution(
        WorkflowExecutionHistory.fromJson(json), ExperimentWorkflowImpl.class);
  }

  @Test
  void recordOpsHistory(TestWorkflowEnvironment env, WorkflowClient client, Worker worker)
      throws IOException {
    Assumptions.assumeTrue(Boolean.getBoolean("tunelab.recordHistories"), "recording is off");
    for (io.temporal.common.SearchAttributeKey<?> key : Visibility.KEYS) {
      env.registerSearchAttribute(key.getName(), key.getValueType());
    }
    FakeActivities fakes = new FakeActivities();
    worker.registerActivitiesImplementations(fakes.all());
    env.newWorker(TaskQueues.training(worker.getTaskQueue()))
        .registerActivitiesImplementations(fakes.new Training(), fakes.new Probe());
    env.start();
    var spec = ExperimentWorkflowTest.spec("golden-ops", 3, 0);
    io.temporal.client.WorkflowStub stub =
        client.newUntypedWorkflowStub(
            "ExperimentWorkflow",
            WorkflowOptions.newBuilder()
                .setWorkflowId("golden-ops")
                .setTaskQueue(worker.getTaskQueue())
                .setTypedSearchAttributes(Visibility.atStart(spec))
                .setMemo(Visibility.memo(spec))
                .setStaticSummary(Visibility.summary(spec))
                .build());
    stub.signalWithStart("stopArm", new Object[] {"scratch"}, new Object[] {spec});
    RunState state = stub.getResult(RunState.class);
    assertEquals(RunStatus.COMPLETED, state.status());
    assertTrue(state.arms().get("scratch").stoppedEarly());
    write(EXPERIMENT_OPS, client.fetchHistory("golden-ops").toJson(true));
  }

  private static void write(String resource, String history) throws IOException {
    Path target = Path.of("src/test/resources" + resource);
    Files.createDirectories(target.getParent());
    Files.writeString(target, history, StandardCharsets.UTF_8);
  }

  @Test
  void recordExperimentHistory(TestWorkflowEnvironment env, WorkflowClient client, Worker worker)
      throws IOException {
    Assumptions.assumeTrue(Boolean.getBoolean("tunelab.recordHistories"), "recording is off");
    FakeActivities fakes = new FakeActivities();
    fakes.valLosses.put("finetune", new double[] {0.6, 0.5, 0.55, 0.7});
    worker.registerActivitiesImplementations(fakes.all());
    env.newWorker(TaskQueues.training(worker.getTaskQueue()))
        .registerActivitiesImplementations(fakes.new Training(), fakes.new Probe());
    env.start();
    ExperimentWorkflow workflow =
        client.newWorkflowStub(
            ExperimentWorkflow.class,
            WorkflowOptions.newBuilder()
                .setWorkflowId("golden-1")
                .setTaskQueue(worker.getTaskQueue())
                .build());
    RunState state = workflow.run(ExperimentWorkflowTest.spec("golden-1", 5, 2));
    assertEquals(RunStatus.COMPLETED, state.status());
    String history = client.fetchHistory("golden-1").toJson(true);
    Path target = Path.of("src/test/resources" + EXPERIMENT);
    Files.createDirectories(target.getParent());
    Files.writeString(target, history, StandardCharsets.UTF_8);
  }

  private static String read(String resource) throws IOException {
    try (InputStream in = ReplayTest.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IOException("missing golden history " + resource);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
