package io.tunelab.workflows;

import io.temporal.client.WorkflowOptions;
import io.temporal.common.SearchAttributes;
import io.tunelab.workflows.model.ExperimentSpec;
import io.tunelab.workflows.model.PretrainSpec;
import io.tunelab.workflows.model.SweepSpec;
import io.tunelab.workflows.model.WatchSpec;
import java.util.Map;

/**
 * The start options of every workflow kind a client starts (the CLI, or the watcher's activity):
 * its id, and what Temporal's UI shows of it ({@link Visibility}'s memo, summary and, where the
 * namespace has them registered, search attributes). One place, so that no starter forgets them.
 * The caller adds the task queue and id-reuse policy.
 */
public final class StartOptions {
  private StartOptions() {}

  /** An experiment's options, whether the CLI or a watcher starts it. */
  public static WorkflowOptions.Builder experiment(ExperimentSpec spec, boolean searchAttributes) {
    return of(
        spec.runId(),
        Visibility.memo(spec),
        Visibility.summary(spec),
        Visibility.atStart(spec),
        searchAttributes);
  }

  /** A pretraining run's options. */
  public static WorkflowOptions.Builder pretrain(PretrainSpec spec, boolean searchAttributes) {
    return of(
        spec.runId(),
        Visibility.memo(spec),
        Visibility.summary(spec),
        Visibility.atStart(spec),
        searchAttributes);
  }

  /** A sweep's options. */
  public static WorkflowOptions.Builder sweep(SweepSpec spec, boolean searchAttributes) {
    return of(
        spec.sweepId(),
        Visibility.memo(spec),
        Visibility.summary(spec),
        Visibility.atStart(spec),
        searchAttributes);
  }

  /** A watcher's options (one watcher per dataset, so its id is the dataset's). */
  public static WorkflowOptions.Builder watcher(WatchSpec spec, boolean searchAttributes) {
    return of(
        WatchSpec.workflowId(spec.datasetName()),
        Visibility.memo(spec),
        Visibility.summary(spec),
        Visibility.atStart(spec),
        searchAttributes);
  }

  private static WorkflowOptions.Builder of(
      String workflowId,
      Map<String, Object> memo,
      String summary,
      SearchAttributes attributes,
      boolean searchAttributes) {
    WorkflowOptions.Builder b =
        WorkflowOptions.newBuilder()
            .setWorkflowId(workflowId)
            .setMemo(memo)
            .setStaticSummary(summary);
    // A namespace rejects a start with attributes it does not know: without them, memo only.
    return searchAttributes ? b.setTypedSearchAttributes(attributes) : b;
  }
}
