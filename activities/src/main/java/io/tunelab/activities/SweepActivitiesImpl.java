package io.tunelab.activities;

import io.tunelab.runs.RunRecords;
import io.tunelab.runs.SweepMembers;
import io.tunelab.storage.Json;
import io.tunelab.storage.ObjectStore;
import io.tunelab.sweep.SweepReports;
import io.tunelab.workflows.activities.SweepActivities;
import io.tunelab.workflows.model.ExperimentSpec;
import io.tunelab.workflows.model.MemberStart;
import io.tunelab.workflows.model.RunRecord;
import io.tunelab.workflows.model.RunStatus;
import io.tunelab.workflows.model.SweepOutcome;

/** Activity adapter over {@link SweepMembers} and {@link SweepReports}. */
public final class SweepActivitiesImpl implements SweepActivities {
  private final SweepMembers members;
  private final SweepReports reports;
  private final RunRecords records;
  private final ObjectStore store;

  public SweepActivitiesImpl(
      SweepMembers members, SweepReports reports, RunRecords records, ObjectStore store) {
    this.members = members;
    this.reports = reports;
    this.records = records;
    this.store = store;
  }

  @Override
  public MemberStart prepareMember(String sweepId, ExperimentSpec experiment) {
    return members.prepare(sweepId, experiment);
  }

  @Override
  public SweepOutcome writeSweepReport(String sweepId, RunStatus status) {
    RunRecord sweep =
        records
            .find(sweepId)
            .filter(r -> r.sweepSpec() != null)
            .orElseThrow(() -> BadInput.failure("no sweep recorded as '" + sweepId + "'"));
    String key = reports.write(sweep.sweepSpec(), status);
    return reports.outcome(Json.tree(store.get(key)), key);
  }
}
