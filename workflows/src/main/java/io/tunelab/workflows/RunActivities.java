package io.tunelab.workflows;

import io.temporal.activity.ActivityOptions;
import io.temporal.workflow.Workflow;
import io.tunelab.workflows.activities.ChampionActivities;
import io.tunelab.workflows.activities.DatasetActivities;
import io.tunelab.workflows.activities.ProbeActivities;
import io.tunelab.workflows.activities.RegistryActivities;
import io.tunelab.workflows.activities.ReportActivities;
import io.tunelab.workflows.activities.TrainingActivities;

/**
 * The activities every training run calls: the model registry, ingest, reports, and training on the
 * training queue of the worker that runs the workflow. Built inside a workflow; each call gets the
 * summary Temporal's UI shows for it (stubs make no commands, so histories replay unchanged).
 */
final class RunActivities {
  private final ActivityOptions trainingOptions =
      ActivityStubs.training(TaskQueues.training(Workflow.getInfo().getTaskQueue()));

  /** The options of activities on the training queue. */
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
