package io.tunelab.workflows;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import io.tunelab.workflows.model.WatchProgress;
import io.tunelab.workflows.model.WatchSpec;
import io.tunelab.workflows.model.WatchState;

/**
 * Watches a dataset in the bucket and runs an experiment for every new complete version. Its
 * workflow id is {@link WatchSpec#workflowId}: one watcher per dataset.
 */
@WorkflowInterface
public interface WatcherWorkflow {
  /** Watches until stopped; continues as new every {@code continueAsNewEvery} looks. */
  @WorkflowMethod
  void watch(WatchSpec spec, WatchProgress progress);

  /** Replaces the settings; runs started from now on use them. */
  @SignalMethod
  void update(WatchSpec spec);

  /** Ends the watcher after the look in progress, if any; runs already started go on. */
  @SignalMethod
  void stop();

  @QueryMethod
  WatchState state();
}
