package io.tunelab.cli.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import io.tunelab.runs.RunRecords;
import io.tunelab.storage.Json;
import io.tunelab.storage.Keys;
import io.tunelab.storage.ObjectNotFoundException;
import io.tunelab.storage.ObjectStore;
import io.tunelab.sweep.SweepReports;
import io.tunelab.workflows.model.RunRecord;
import io.tunelab.workflows.model.RunStatus;
import java.util.Optional;

/**
 * A sweep as the dashboard shows it: the sweep report JSON (the same as {@code tunelab report ID}),
 * built from its members' records and reports while it runs, with a running member's live report
 * from its workflow, and the stored report once it has ended.
 */
final class DashboardSweeps {
  private final ObjectStore store;
  private final DashboardData runs;

  /**
   * @param store the bucket
   * @param runs the runs' side of the dashboard: Temporal's status of a workflow and a running
   *     run's live report
   */
  DashboardSweeps(ObjectStore store, DashboardData runs) {
    this.store = store;
    this.runs = runs;
  }

  /** Whether {@code id} is a recorded sweep. */
  boolean exists(String id) {
    return record(id).isPresent();
  }

  /**
   * The sweep's report JSON: the stored one once the sweep has ended and written it, else built now
   * (a running sweep, or one whose workflow is lost), with live reports of running members.
   */
  Optional<JsonNode> report(String id) {
    Optional<RunRecord> record = record(id);
    if (record.isEmpty()) {
      return Optional.empty();
    }
    RunStatus status = runs.temporalStatus(id).orElse(record.get().status());
    if (status != RunStatus.RUNNING) {
      try {
        return Optional.of(Json.tree(store.get(Keys.report(id))));
      } catch (ObjectNotFoundException e) {
        // ended before its report was written: build it from the members
      }
    }
    return Optional.of(
        new SweepReports(store).build(record.get().sweepSpec(), status, runs::liveReport));
  }

  private Optional<RunRecord> record(String id) {
    return new RunRecords(store).find(id).filter(r -> r.sweepSpec() != null);
  }
}
