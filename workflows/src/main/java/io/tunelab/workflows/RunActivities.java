package io.tunelab.workflows;

import io.temporal.activity.ActivityOptions;
import io.temporal.workflow.Workflow;
import io.tunelab.workflows.activities.DatasetActivities;
import io.tunelab.workflows.activities.RegistryActivities;
import io.tunelab.workflows.activities.ReportActivities;
import io.tunelab.workflows.activities.TrainingActivities;

/**
 * The activities every training run calls: the model registry, ingest, reports, and training on the
 * training queue of the worker that runs the workflow. Built inside a workflow.
 */
final class RunActivities {
  final RegistryActivities registry =
      Workflow.newActivityStub(RegistryActivities.class, ActivityStubs.io());
  final DatasetActivities datasets =
      Workflow.newActivityStub(DatasetActivities.class, ActivityStubs.ingest());
  final ReportActivities reports =
      Workflow.newActivityStub(ReportActivities.class, ActivityStubs.io());
  private final ActivityOptions trainingOptions =
      ActivityStubs.training(TaskQueues.training(Workflow.getInfo().getTaskQueue()));

  /** The options of activities on the training queue. */
  ActivityOptions trainingOptions() {
    return trainingOptions;
  }

  /** The training activities, with the summary Temporal's UI shows for the call. */
  TrainingActivities training(String summary) {
    return Workflow.newActivityStub(
        TrainingActivities.class,
        ActivityOptions.newBuilder(trainingOptions).setSummary(summary).build());
  }
}
