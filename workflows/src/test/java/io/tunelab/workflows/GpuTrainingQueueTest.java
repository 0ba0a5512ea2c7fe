package io.tunelab.workflows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.Worker;
import io.tunelab.workflows.model.Device;
import io.tunelab.workflows.model.ExperimentSpec;
import io.tunelab.workflows.model.RunState;
import io.tunelab.workflows.model.RunStatus;
import io.tunelab.workflows.model.TrainingParams;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Where a run's training goes: a {@code --device gpu} run's epochs, evaluations and probes to the
 * GPU training queue that only GPU workers poll, every other run's to the shared training queue. A
 * CPU worker and a GPU worker each poll their queue with their own fakes, so each fake sees only
 * what was scheduled on its queue.
 */
class GpuTrainingQueueTest {
  @RegisterExtension
  static final TestWorkflowExtension testWorkflow =
      TestWorkflowExtension.newBuilder()
          .registerWorkflowImplementationTypes(ExperimentWorkflowImpl.class)
          .setDoNotStart(true)
          .build();

  private FakeActivities cpu;
  private FakeActivities gpu;

  @BeforeEach
  void workers(TestWorkflowEnvironment env, Worker worker) {
    cpu = new FakeActivities();
    gpu = new FakeActivities();
    worker.registerActivitiesImplementations(cpu.all());
    env.newWorker(TaskQueues.training(worker.getTaskQueue()))
        .registerActivitiesImplementations(cpu.new Training(), cpu.new Probe());
    env.newWorker(TaskQueues.gpuTraining(worker.getTaskQueue()))
        .registerActivitiesImplementations(gpu.new Training(), gpu.new Probe());
    env.start();
  }

  private static ExperimentSpec spec(String runId, Device device) {
    return ExperimentSpec.builder()
        .runId(runId)
        .source("/data/x")
        .pretrained("src-model")
        .finetune(
            TrainingParams.builder()
                .epochs(2)
                .batchSize(32)
                .learningRate(0.001)
                .seed(1)
                .device(device)
                .build())
        .scratchLearningRate(0.002)
        .build();
  }

  private static RunState run(WorkflowClient client, Worker worker, ExperimentSpec spec) {
    return client
        .newWorkflowStub(
            ExperimentWorkflow.class,
            WorkflowOptions.newBuilder()
                .setWorkflowId(spec.runId())
                .setTaskQueue(worker.getTaskQueue())
                .build())
        .run(spec);
  }

  @Test
  void aGpuRunTrainsOnTheGpuQueueOnly(WorkflowClient client, Worker worker) throws Exception {
    RunState state = run(client, worker, spec("run-gpu", Device.GPU));

    assertEquals(RunStatus.COMPLETED, state.status());
    assertEquals(4, gpu.epochTasks.size(), "both arms' 2 epochs on the GPU queue");
    assertEquals(List.of(), cpu.epochTasks, "no CPU-queue worker trained any of it");
    assertEquals(List.of("run-gpu runs/run-gpu/finetune/epoch-2"), gpu.probeRuns);
    assertEquals(List.of(), cpu.probeRuns);
    // the history scheduled them there, and it replays on today's code
    WorkflowExecutionHistory history = client.fetchHistory("run-gpu");
    List<String> queues = trainingQueues(history);
    assertFalse(queues.isEmpty());
    assertTrue(
        queues.stream().allMatch(TaskQueues.gpuTraining(worker.getTaskQueue())::equals),
        queues.toString());
    WorkflowReplayer.replayWorkflowExecution(history, ExperimentWorkflowImpl.class);
  }

  @Test
  void autoAndCpuRunsTrainOnTheSharedQueue(WorkflowClient client, Worker worker) {
    for (Device device : List.of(Device.AUTO, Device.CPU)) {
      String id = "run-" + device.wire();
      assertEquals(RunStatus.COMPLETED, run(client, worker, spec(id, device)).status());
      assertTrue(
          trainingQueues(client.fetchHistory(id)).stream()
              .allMatch(TaskQueues.training(worker.getTaskQueue())::equals),
          device.wire());
    }
    assertEquals(8, cpu.epochTasks.size(), "2 runs x 2 arms x 2 epochs on the shared queue");
    assertEquals(List.of(), gpu.epochTasks, "a GPU worker takes none of them");
    assertEquals(List.of(), gpu.probeRuns);
  }

  /** The task queues of the activities the history scheduled on a training queue. */
  private static List<String> trainingQueues(WorkflowExecutionHistory history) {
    return history.getEvents().stream()
        .filter(e -> e.hasActivityTaskScheduledEventAttributes())
        .map(e -> e.getActivityTaskScheduledEventAttributes().getTaskQueue().getName())
        .filter(q -> q.contains("-training"))
        .toList();
  }
}
