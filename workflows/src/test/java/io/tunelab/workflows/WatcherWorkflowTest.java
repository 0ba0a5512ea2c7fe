package io.tunelab.workflows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.sdk.v1.WorkflowMetadata;
import io.temporal.api.workflow.v1.WorkflowExecutionInfo;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionResponse;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.common.SearchAttributeKey;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import io.tunelab.workflows.activities.ChampionActivities;
import io.tunelab.workflows.activities.WatchActivities;
import io.tunelab.workflows.model.ChallengeRequest;
import io.tunelab.workflows.model.ChampionDecision;
import io.tunelab.workflows.model.DatasetVersion;
import io.tunelab.workflows.model.ExperimentSpec;
import io.tunelab.workflows.model.RunStart;
import io.tunelab.workflows.model.RunState;
import io.tunelab.workflows.model.RunStatus;
import io.tunelab.workflows.model.WatchProgress;
import io.tunelab.workflows.model.WatchSpec;
import io.tunelab.workflows.model.WatchState;
import io.tunelab.workflows.model.WatchedRun;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The watcher's decisions with scripted activities and skipped time: every new version starts one
 * run, content seen before starts none, continue-as-new keeps the count, signals update and stop
 * it. And a watch-triggered experiment challenges the champion, a cli one does not.
 */
class WatcherWorkflowTest {
  static final String H1 = "1".repeat(64);
  static final String H2 = "2".repeat(64);

  @RegisterExtension
  static final TestWorkflowExtension testWorkflow =
      TestWorkflowExtension.newBuilder()
          .registerWorkflowImplementationTypes(
              WatcherWorkflowImpl.class, ExperimentWorkflowImpl.class)
          .setDoNotStart(true)
          .build();

  /** A bucket of versions and the runs started, as the real activities keep them. */
  static final class FakeWatch implements WatchActivities {
    final Map<String, String> versions = Collections.synchronizedMap(new LinkedHashMap<>());
    final Set<String> handled = ConcurrentHashMap.newKeySet();
    final Set<String> runs = ConcurrentHashMap.newKeySet();
    final List<String> starts = Collections.synchronizedList(new ArrayList<>());
    final List<Boolean> searchAttributes = Collections.synchronizedList(new ArrayList<>());
    volatile String broken;

    @Override
    public List<DatasetVersion> newVersions(String datasetName) {
      List<DatasetVersion> fresh = new ArrayList<>();
      synchronized (versions) {
        versions.forEach(
            (name, hash) -> {
              if (!handled.contains(name)) {
                fresh.add(new DatasetVersion(name, hash));
              }
            });
      }
      return fresh;
    }

    @Override
    public RunStart startRun(WatchedRun run) {
      String runId = WatchSpec.runId(run.spec().datasetName(), run.version());
      if (run.version().name().equals(broken)) {
        throw new IllegalStateException("cannot start " + run.version().name());
      }
      starts.add(run.version().name() + " " + runId + " epochs=" + run.spec().finetune().epochs());
      searchAttributes.add(run.searchAttributes());
      boolean started = runs.add(runId);
      handled.add(run.version().name());
      return new RunStart(run.version().name(), runId, started, started ? "started" : "duplicate");
    }
  }

  static WatchSpec spec(int epochs, int continueAsNewEvery) {
    return new WatchSpec(
        "shoes",
        "base",
        List.of(),
        0,
        ExperimentWorkflowTest.params(epochs, 0),
        0.002,
        false,
        1_000,
        continueAsNewEvery,
        false,
        null,
        null);
  }

  @Test
  void everyNewContentRunsOnceAcrossContinueAsNewAndStopEndsIt(
      TestWorkflowEnvironment env, WorkflowClient client, Worker worker) {
    FakeWatch fake = new FakeWatch();
    fake.versions.put("v1-11111111", H1);
    worker.registerActivitiesImplementations(fake);
    env.start();
    WatcherWorkflow watcher =
        client.newWorkflowStub(
            WatcherWorkflow.class,
            WorkflowOptions.newBuilder()
                .setWorkflowId("watch-shoes")
                .setTaskQueue(worker.getTaskQueue())
                .build());
    WorkflowClient.start(watcher::watch, spec(2, 3), WatchProgress.first());

    env.sleep(Duration.ofSeconds(5));
    fake.versions.put("v2-22222222", H2);
    fake.versions.put("copy-of-v1", H1);
    env.sleep(Duration.ofSeconds(5));
    watcher.update(spec(7, 3));
    fake.versions.put("late", "3".repeat(64));
    env.sleep(Duration.ofSeconds(5));

    WatchState state = watcher.state();
    assertEquals(3, state.runsStarted(), state.toString());
    assertTrue(state.executions() >= 3, "continued as new: " + state);
    assertEquals(
        List.of(
            "v1-11111111 watch-shoes-111111111111 epochs=2",
            "v2-22222222 watch-shoes-222222222222 epochs=2",
            "copy-of-v1 watch-shoes-111111111111 epochs=2",
            "late watch-shoes-333333333333 epochs=7"),
        fake.starts);

    watcher.stop();
    WorkflowStub.fromTyped(watcher).getResult(Void.class);
    assertEquals(
        WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED,
        WorkflowStub.fromTyped(watcher).describe().getStatus());
  }

  @Test
  void theWatcherStaysLegibleAcrossContinueAsNewAndItsRunsCarryTheSearchAttributes(
      TestWorkflowEnvironment env, WorkflowClient client, Worker worker) {
    for (SearchAttributeKey<?> key : Visibility.KEYS) {
      env.registerSearchAttribute(key.getName(), key.getValueType());
    }
    FakeWatch fake = new FakeWatch();
    fake.versions.put("v1-11111111", H1);
    worker.registerActivitiesImplementations(fake);
    env.start();
    // two looks a second apart per execution: queries find an execution between two looks
    WatchSpec spec = spec(2, 2);
    WatcherWorkflow watcher =
        client.newWorkflowStub(
            WatcherWorkflow.class,
            StartOptions.watcher(spec, true).setTaskQueue(worker.getTaskQueue()).build());
    WorkflowExecution first = WorkflowClient.start(watcher::watch, spec, WatchProgress.first());
    env.sleep(Duration.ofSeconds(2));
    watcher.update(spec(7, 2));
    env.sleep(Duration.ofSeconds(3));
    assertTrue(watcher.state().executions() >= 2, "continued as new: " + watcher.state());
    assertEquals(List.of(true), fake.searchAttributes, "the run starts with the attributes");
    assertEquals(
        "watch dataset shoes: fine-tune base on every new version, 7 epochs\n"
            + "1 run started, the last watch-shoes-111111111111",
        WorkflowStub.fromTyped(watcher)
            .query("__temporal_workflow_metadata", WorkflowMetadata.class)
            .getCurrentDetails(),
        "the current details say what the watcher does and did");

    WorkflowExecutionInfo started = describe(env, first).getWorkflowExecutionInfo();
    assertEquals(
        "\"watch dataset shoes: fine-tune base on every new version, 2 epochs\"",
        describe(env, first)
            .getExecutionConfig()
            .getUserMetadata()
            .getSummary()
            .getData()
            .toStringUtf8());
    assertEquals("\"watcher\"", text(started.getMemo().getFieldsMap().get("kind")));
    WorkflowExecutionInfo latest =
        describe(env, WorkflowExecution.newBuilder().setWorkflowId(first.getWorkflowId()).build())
            .getWorkflowExecutionInfo();
    assertTrue(!latest.getExecution().getRunId().equals(first.getRunId()), "a later execution");
    var attributes = latest.getSearchAttributes().getIndexedFieldsMap();
    assertEquals("\"watcher\"", text(attributes.get("TunelabKind")));
    assertEquals("\"shoes\"", text(attributes.get("TunelabDataset")));
    assertEquals("\"base\"", text(attributes.get("TunelabPretrained")));
    assertEquals(
        "7", text(latest.getMemo().getFieldsMap().get("epochs")), "the memo follows updates");
    List<String> summaries = new ArrayList<>();
    for (HistoryEvent e :
        client.fetchHistory(first.getWorkflowId(), first.getRunId()).getEvents()) {
      if (e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED) {
        summaries.add(text(e.getUserMetadata().getSummary()));
      }
    }
    assertEquals(
        List.of(
            "\"look for new versions of dataset shoes\"",
            "\"start the run of version v1-11111111\"",
            "\"look for new versions of dataset shoes\""),
        summaries);
    watcher.stop();
    WorkflowStub.fromTyped(watcher).getResult(Void.class);
  }

  private static DescribeWorkflowExecutionResponse describe(
      TestWorkflowEnvironment env, WorkflowExecution execution) {
    return env.getWorkflowServiceStubs()
        .blockingStub()
        .describeWorkflowExecution(
            DescribeWorkflowExecutionRequest.newBuilder()
                .setNamespace(env.getNamespace())
                .setExecution(execution)
                .build());
  }

  private static String text(io.temporal.api.common.v1.Payload payload) {
    return payload == null ? null : payload.getData().toStringUtf8();
  }

  @Test
  void aVersionThatCannotBeStartedDoesNotEndTheWatcher(
      TestWorkflowEnvironment env, WorkflowClient client, Worker worker) {
    FakeWatch fake = new FakeWatch();
    fake.broken = "bad";
    fake.versions.put("bad", H2);
    fake.versions.put("v1-11111111", H1);
    worker.registerActivitiesImplementations(fake);
    env.start();
    WatcherWorkflow watcher =
        client.newWorkflowStub(
            WatcherWorkflow.class,
            WorkflowOptions.newBuilder()
                .setWorkflowId("watch-shoes")
                .setTaskQueue(worker.getTaskQueue())
                .build());
    WorkflowClient.start(watcher::watch, spec(2, 100), WatchProgress.first());
    env.sleep(Duration.ofMinutes(2));
    assertEquals(
        WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING,
        WorkflowStub.fromTyped(watcher).describe().getStatus());
    assertEquals(1, watcher.state().runsStarted(), "the good version did not wait for the bad");
    fake.broken = null;
    env.sleep(Duration.ofMinutes(2));
    WatchState state = watcher.state();
    assertEquals(2, state.runsStarted(), state.toString());
    watcher.stop();
    WorkflowStub.fromTyped(watcher).getResult(Void.class);
  }

  @Test
  void aWatchRunChallengesTheChampionAndACliRunDoesNot(
      TestWorkflowEnvironment env, WorkflowClient client, Worker worker) {
    FakeActivities fakes = new FakeActivities();
    worker.registerActivitiesImplementations(fakes.all());
    List<ChallengeRequest> challenges = Collections.synchronizedList(new ArrayList<>());
    env.newWorker(TaskQueues.training(worker.getTaskQueue()))
        .registerActivitiesImplementations(
            fakes.new Training(),
            fakes.new Probe(),
            (ChampionActivities)
                request -> {
                  challenges.add(request);
                  return new ChampionDecision(
                      request.model(),
                      request.runId(),
                      request.datasetName(),
                      request.datasetVersion(),
                      true,
                      "no champion yet",
                      40,
                      request.challenger().acc(),
                      null,
                      null,
                      0,
                      0,
                      null,
                      2,
                      "now");
                });
    env.start();
    ExperimentSpec watched =
        spec(2, 3)
            .experiment(
                new DatasetVersion("v1-11111111", H1), "s3://tunelab/datasets/shoes/v1-11111111");
    RunState state =
        client
            .newWorkflowStub(
                ExperimentWorkflow.class,
                WorkflowOptions.newBuilder()
                    .setWorkflowId(watched.runId())
                    .setTaskQueue(worker.getTaskQueue())
                    .build())
            .run(watched);
    assertEquals(RunStatus.COMPLETED, state.status());
    assertEquals(1, challenges.size());
    ChallengeRequest request = challenges.get(0);
    assertEquals("base", request.model());
    assertEquals("watch-shoes-111111111111", request.runId());
    assertEquals("v1-11111111", request.datasetVersion());
    assertEquals(state.arms().get("finetune").bestCheckpointKey(), request.checkpointKey());

    ExperimentSpec cli = ExperimentWorkflowTest.spec("cli-run", 2, 0);
    client
        .newWorkflowStub(
            ExperimentWorkflow.class,
            WorkflowOptions.newBuilder()
                .setWorkflowId("cli-run")
                .setTaskQueue(worker.getTaskQueue())
                .build())
        .run(cli);
    assertEquals(1, challenges.size(), "a cli run challenges nothing");
  }

  /** Records the golden history of a watcher's first execution (see {@link ReplayTest}). */
  @Test
  void recordWatcherHistory(TestWorkflowEnvironment env, WorkflowClient client, Worker worker)
      throws IOException {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        Boolean.getBoolean("tunelab.recordHistories"), "recording is off");
    FakeWatch fake = new FakeWatch();
    fake.versions.put("v1-11111111", H1);
    fake.versions.put("copy-of-v1", H1);
    worker.registerActivitiesImplementations(fake);
    env.start();
    WatcherWorkflow watcher =
        client.newWorkflowStub(
            WatcherWorkflow.class,
            WorkflowOptions.newBuilder()
                .setWorkflowId("watch-golden")
                .setTaskQueue(worker.getTaskQueue())
                .build());
    WorkflowClient.start(watcher::watch, spec(2, 100), WatchProgress.first());
    env.sleep(Duration.ofSeconds(3));
    fake.versions.put("v2-22222222", H2);
    env.sleep(Duration.ofSeconds(3));
    watcher.update(spec(3, 100));
    env.sleep(Duration.ofSeconds(2));
    watcher.stop();
    WorkflowStub.fromTyped(watcher).getResult(Void.class);
    String history = client.fetchHistory("watch-golden").toJson(true);
    Path target = Path.of("src/test/resources" + ReplayTest.WATCHER);
    Files.writeString(target, history, StandardCharsets.UTF_8);
  }
}
