package io.tunelab.workflows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.api.enums.v1.EventType;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import io.tunelab.workflows.activities.SweepActivities;
import io.tunelab.workflows.model.ExperimentSpec;
import io.tunelab.workflows.model.MemberStart;
import io.tunelab.workflows.model.RunStatus;
import io.tunelab.workflows.model.SweepConfig;
import io.tunelab.workflows.model.SweepOutcome;
import io.tunelab.workflows.model.SweepProgress;
import io.tunelab.workflows.model.SweepSpec;
import io.tunelab.workflows.model.SweepState;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The sweep workflow over real experiment workflows (as children) on fake activities. */
class SweepWorkflowTest {
  @RegisterExtension
  static final TestWorkflowExtension testWorkflow =
      TestWorkflowExtension.newBuilder()
          .registerWorkflowImplementationTypes(
              SweepWorkflowImpl.class, ExperimentWorkflowImpl.class)
          .setDoNotStart(true)
          .build();

  /** The sweep's bookkeeping in memory: members recorded, how many ran at once, their ends. */
  static final class Sweeps implements SweepActivities {
    final Map<String, RunStatus> records = new ConcurrentHashMap<>();
    final List<String> prepared = Collections.synchronizedList(new ArrayList<>());
    final List<RunStatus> reported = Collections.synchronizedList(new ArrayList<>());
    final Map<String, RunStatus> finished = new ConcurrentHashMap<>();
    volatile int mostAtOnce;

    @Override
    public synchronized MemberStart prepareMember(String sweepId, ExperimentSpec experiment) {
      RunStatus recorded = records.get(experiment.runId());
      if (recorded != null && recorded != RunStatus.RUNNING) {
        return new MemberStart(null, recorded);
      }
      prepared.add(experiment.runId());
      records.put(experiment.runId(), RunStatus.RUNNING);
      long running =
          records.entrySet().stream()
              .filter(e -> e.getValue() == RunStatus.RUNNING && !finished.containsKey(e.getKey()))
              .count();
      mostAtOnce = (int) Math.max(mostAtOnce, running);
      return new MemberStart(experiment, null);
    }

    @Override
    public SweepOutcome writeSweepReport(String sweepId, RunStatus status) {
      reported.add(status);
      return new SweepOutcome("runs/" + sweepId + "/report.json", 1, List.of("best-config"), "1");
    }
  }

  private Sweeps start(TestWorkflowEnvironment env, Worker worker, FakeActivities fakes) {
    Sweeps sweeps = new Sweeps();
    worker.registerActivitiesImplementations(
        fakes.new Dataset(),
        fakes.new Registry(),
        fakes.new Reports() {
          @Override
          public void finishRun(String runId, RunStatus status) {
            sweeps.finished.put(runId, status);
          }
        },
        sweeps);
    Worker training = env.newWorker(TaskQueues.training(worker.getTaskQueue()));
    training.registerActivitiesImplementations(fakes.new Training(), fakes.new Probe());
    env.start();
    return sweeps;
  }

  static SweepSpec spec(String id, int configs, int seeds, int maxParallel, int perHistory) {
    ExperimentSpec base = ExperimentWorkflowTest.spec(id, 3, 0).toBuilder().scratch(false).build();
    List<SweepConfig> list = new ArrayList<>();
    List<String> rates = new ArrayList<>();
    for (int c = 1; c <= configs; c++) {
      double lr = Math.pow(10, -c);
      rates.add(Double.toString(lr));
      list.add(
          new SweepConfig(
              c, Map.of("lr", Double.toString(lr)), base.finetune().withLearningRate(lr), lr));
    }
    List<Long> seedList = new ArrayList<>();
    for (long s = 1; s <= seeds; s++) {
      seedList.add(s);
    }
    return new SweepSpec(id, base, Map.of("lr", rates), list, seedList, maxParallel, perHistory);
  }

  private static SweepWorkflow stub(WorkflowClient client, Worker worker, String id) {
    return client.newWorkflowStub(
        SweepWorkflow.class,
        WorkflowOptions.newBuilder().setWorkflowId(id).setTaskQueue(worker.getTaskQueue()).build());
  }

  @Test
  void runsEveryConfigAtEverySeedOnceAtMostPAtATime(
      TestWorkflowEnvironment env, WorkflowClient client, Worker worker) {
    FakeActivities fakes = new FakeActivities();
    Sweeps sweeps = start(env, worker, fakes);

    SweepState state = stub(client, worker, "sw").run(spec("sw", 2, 2, 2, 0), SweepProgress.none());

    assertEquals(RunStatus.COMPLETED, state.status());
    assertEquals(4, state.members().size());
    assertEquals(4, state.count(RunStatus.COMPLETED));
    assertEquals(List.of("sw-c1-s1", "sw-c2-s1", "sw-c1-s2", "sw-c2-s2"), sweeps.prepared);
    assertTrue(sweeps.mostAtOnce <= 2, "at most 2 at once: " + sweeps.mostAtOnce);
    assertEquals(List.of(RunStatus.COMPLETED), sweeps.reported);
    assertEquals(RunStatus.COMPLETED, sweeps.finished.get("sw"));
    // each member trained with its config's rate and its seed
    assertTrue(
        fakes.epochTasks.stream()
            .anyMatch(
                t ->
                    t.arm().runId().equals("sw-c2-s2")
                        && t.arm().params().seed() == 2
                        && t.arm().params().learningRate() == 0.01));
    assertEquals(1, state.outcome().best());
  }

  @Test
  void continuesAsNewKeepingEveryMembersEnd(
      TestWorkflowEnvironment env, WorkflowClient client, Worker worker) {
    Sweeps sweeps = start(env, worker, new FakeActivities());

    SweepState state = stub(client, worker, "cn").run(spec("cn", 3, 1, 1, 1), SweepProgress.none());

    assertEquals(RunStatus.COMPLETED, state.status());
    assertEquals(3, state.count(RunStatus.COMPLETED));
    assertEquals(3, sweeps.prepared.size());
    // the last run of the workflow started one member: its history holds one child start
    long childStarts =
        client.fetchHistory("cn").getEvents().stream()
            .filter(
                e ->
                    e.getEventType()
                        == EventType.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED)
            .count();
    assertEquals(1, childStarts);
  }

  @Test
  void aResumedSweepStartsNoMemberThatEnded(
      TestWorkflowEnvironment env, WorkflowClient client, Worker worker) {
    Sweeps sweeps = start(env, worker, new FakeActivities());
    sweeps.records.put("rs-c1-s1", RunStatus.COMPLETED);
    sweeps.records.put("rs-c2-s1", RunStatus.FAILED);

    SweepState state = stub(client, worker, "rs").run(spec("rs", 3, 1, 3, 0), SweepProgress.none());

    assertEquals(List.of("rs-c3-s1"), sweeps.prepared);
    assertEquals(RunStatus.FAILED, state.members().get(1).status());
    assertEquals(RunStatus.COMPLETED, state.members().get(2).status());
  }

  @Test
  void cancelingTheSweepCancelsItsMembersAndReports(
      TestWorkflowEnvironment env, WorkflowClient client, Worker worker) throws Exception {
    FakeActivities fakes = new FakeActivities();
    fakes.gates.put("finetune", new Semaphore(0));
    Sweeps sweeps = start(env, worker, fakes);
    SweepWorkflow sweep = stub(client, worker, "cx");
    WorkflowClient.start(sweep::run, spec("cx", 3, 1, 2, 0), SweepProgress.none());
    while (fakes.epochTasks.size() < 2) {
      Thread.sleep(50);
    }
    assertEquals(2, sweep.state().count(RunStatus.RUNNING));
    assertEquals(1, sweep.state().count(RunStatus.PENDING));

    WorkflowStub.fromTyped(sweep).cancel();
    // the members end without waiting for their epochs in flight; those are let go afterwards
    for (int i = 0; i < 600 && sweeps.finished.size() < 2; i++) {
      Thread.sleep(50);
    }
    fakes.gates.get("finetune").release(100);

    assertThrows(
        WorkflowFailedException.class,
        () ->
            WorkflowStub.fromTyped(sweep)
                .getResult(1, java.util.concurrent.TimeUnit.MINUTES, SweepState.class));
    assertEquals(List.of(RunStatus.CANCELED), sweeps.reported);
    assertEquals(RunStatus.CANCELED, sweeps.finished.get("cx"));
    assertEquals(RunStatus.CANCELED, sweeps.finished.get("cx-c1-s1"));
    assertEquals(RunStatus.CANCELED, sweeps.finished.get("cx-c2-s1"));
    assertEquals(2, sweeps.prepared.size(), "the third member never starts");
  }

  @Test
  void pauseReachesTheMembersInFlightAndHoldsBackTheRest(
      TestWorkflowEnvironment env, WorkflowClient client, Worker worker) throws Exception {
    FakeActivities fakes = new FakeActivities();
    Semaphore gate = new Semaphore(0);
    fakes.gates.put("finetune", gate);
    Sweeps sweeps = start(env, worker, fakes);
    SweepWorkflow sweep = stub(client, worker, "pz");
    WorkflowClient.start(sweep::run, spec("pz", 2, 1, 1, 0), SweepProgress.none());
    while (fakes.epochTasks.isEmpty()) {
      Thread.sleep(50);
    }
    sweep.pause();
    ExperimentWorkflow member = client.newWorkflowStub(ExperimentWorkflow.class, "pz-c1-s1");
    for (int i = 0; i < 200 && !member.state().phase().startsWith("PAUSED"); i++) {
      Thread.sleep(50);
    }
    assertTrue(member.state().phase().startsWith("PAUSED"), member.state().phase());
    assertTrue(sweep.state().paused());
    gate.release(100); // the epoch in flight ends; no new one, no new member, while paused
    Thread.sleep(1000);
    assertEquals(1, fakes.epochTasks.size());
    assertEquals(List.of("pz-c1-s1"), sweeps.prepared);

    sweep.unpause();
    SweepState done = WorkflowStub.fromTyped(sweep).getResult(SweepState.class);
    assertEquals(2, done.count(RunStatus.COMPLETED));
    assertEquals(2, sweeps.prepared.size());
  }
}
