package io.tunelab.workflows;

import io.temporal.activity.ActivityOptions;
import io.temporal.workflow.Workflow;
import io.tunelab.workflows.activities.ChampionActivities;
import io.tunelab.workflows.activities.DatasetActivities;
import io.tunelab.workflows.activities.ProbeActivities;
import io.tunelab.workflows.activities.RegistryActivities;
import io.tunelab.workflows.activities.ReportActivities;
import io.tunelab.workflows.activities.TrainingActivities;
import io.tunelab.workflows.model.Device;

/**
 * The activities every training run calls: the model registry, ingest, reports, and training on the
 * training queue of the worker that runs the workflow, or on its GPU training queue for a run that
 * asked for a GPU. Built inside a workflow; each call gets the summary Temporal's UI shows for it
 * (stubs make no commands, so histories replay unchanged).
 */
final class RunActivities {
  /** Workflow.getVersion change id of routing {@code --device gpu} runs to the GPU queue. */
  static final String GPU_QUEUE_CHANGE = "gpu-training-queue";

  private ActivityOptions trainingOptions =
      ActivityStubs.training(TaskQueues.training(Workflow.getInfo().getTaskQueue()));

  /**
   * Sends the run's training to the GPU training queue when it asked for a GPU, so that only GPU
   * workers take it; {@code auto} and {@code cpu} keep the shared training queue. Call before the
   * first training activity. Runs recorded before this change keep the queue they had.
   */
  void routeTraining(Device device) {
    if (device == Device.GPU
        && Workflow.getVersion(GPU_QUEUE_CHANGE, Workflow.DEFAULT_VERSION, 1) >= 1) {
      trainingOptions =
          ActivityStubs.training(TaskQueues.gpuTraining(Workflow.getInfo().getTaskQueue()));
    }
  }

  /** The options of activities on the run's training queue. */
  ActivityOptions trainingOptions() {
    return trainingOptions;
  }

  /** The training activities, with the summary Temporal's UI shows for the call. */
  TrainingActivities training(String summary) {
    return ActivityStubs.summarized(TrainingActivities.class, trainingOptions, summary);
  }

  /** The model registry, likewise. */
  RegistryActivities registry(String summary) {
    return ActivityStubs.summarized(RegistryActivities.class, ActivityStubs.io(), summary);
  }

  /** Ingest, likewise. */
  DatasetActivities datasets(String summary) {
    return ActivityStubs.summarized(DatasetActivities.class, ActivityStubs.ingest(), summary);
  }

  /** Reports and bookkeeping, likewise. */
  ReportActivities reports(String summary) {
    return ActivityStubs.summarized(ReportActivities.class, ActivityStubs.io(), summary);
  }

  /** The diagnosis probes on the training queue, likewise. */
  ProbeActivities probes(String summary) {
    return ActivityStubs.summarized(ProbeActivities.class, trainingOptions, summary);
  }

  /** The champion challenge on the training queue, likewise. */
  ChampionActivities champions(String summary) {
    return ActivityStubs.summarized(ChampionActivities.class, trainingOptions, summary);
  }
}
