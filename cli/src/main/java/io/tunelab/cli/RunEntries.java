package io.tunelab.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tunelab.workflows.model.RunRecord;
import io.tunelab.workflows.model.RunStatus;

/** A run's entry as {@code tunelab list --json} and the dashboard's {@code /api/runs} show it. */
public final class RunEntries {
  private RunEntries() {}

  /**
   * Fills {@code node} with the record's fields and its status: {@code live} (what Temporal says of
   * a run recorded as running, or {@code null}) wins over the recorded one, except {@link
   * WorkflowStatuses#LOST}, which keeps the recorded status and sets {@code workflowLost}.
   */
  public static ObjectNode fill(ObjectNode node, RunRecord r, RunStatus live) {
    boolean lost = live == WorkflowStatuses.LOST;
    node.put("runId", r.runId());
    node.put("kind", r.kind());
    node.put("status", (live != null && !lost ? live : r.status()).wire());
    node.put("recordedStatus", r.status().wire());
    if (lost) {
      node.put("workflowLost", true);
    }
    node.put("dataset", r.dataset());
    node.put("datasetVersion", r.datasetVersion());
    node.put("trigger", r.trigger());
    node.put("startedAt", r.startedAt());
    node.put("finishedAt", r.finishedAt());
    if (r.sweep() != null) {
      node.put("sweep", r.sweep());
    }
    return node;
  }
}
