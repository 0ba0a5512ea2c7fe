package io.tunelab.activities;

import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.tunelab.runs.WatchedVersions;
import io.tunelab.workflows.ExperimentWorkflow;
import io.tunelab.workflows.StartOptions;
import io.tunelab.workflows.activities.WatchActivities;
import io.tunelab.workflows.model.DatasetVersion;
import io.tunelab.workflows.model.ExperimentSpec;
import io.tunelab.workflows.model.RunStart;
import io.tunelab.workflows.model.WatchedRun;
import java.util.List;

/**
 * Activity adapter over {@link WatchedVersions}: starts a version's run as a workflow whose id is
 * the run id, with a reuse policy that rejects duplicates, legible in Temporal's UI like a CLI run.
 */
public final class WatchActivitiesImpl implements WatchActivities {
  private final WatchedVersions versions;
  private final WorkflowClient client;

  public WatchActivitiesImpl(WatchedVersions versions, WorkflowClient client) {
    this.versions = versions;
    this.client = client;
  }

  @Override
  public List<DatasetVersion> newVersions(String datasetName) {
    return versions.newVersions(datasetName);
  }

  @Override
  public RunStart startRun(WatchedRun run) {
    return versions.startRun(
        run, (experiment, taskQueue) -> start(experiment, taskQueue, run.searchAttributes()));
  }

  /** Starts the run with what Temporal's UI shows of a CLI run: memo, summary, attributes. */
  private boolean start(ExperimentSpec experiment, String taskQueue, boolean searchAttributes) {
    ExperimentWorkflow workflow =
        client.newWorkflowStub(
            ExperimentWorkflow.class,
            StartOptions.experiment(experiment, searchAttributes)
                .setTaskQueue(taskQueue)
                .setWorkflowIdReusePolicy(
                    WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE)
                .build());
    try {
      WorkflowClient.start(workflow::run, experiment);
      return true;
    } catch (WorkflowExecutionAlreadyStarted e) {
      return false;
    }
  }
}
