package io.tunelab.activities;

import io.tunelab.runs.SweepMembers;
import io.tunelab.sweep.SweepReports;
import io.tunelab.workflows.activities.SweepActivities;
import io.tunelab.workflows.model.ExperimentSpec;
import io.tunelab.workflows.model.MemberStart;
import io.tunelab.workflows.model.RunStatus;
import io.tunelab.workflows.model.SweepOutcome;
import io.tunelab.workflows.model.SweepSpec;

/** Activity adapter over {@link SweepMembers} and {@link SweepReports}. */
public final class SweepActivitiesImpl implements SweepActivities {
  private final SweepMembers members;
  private final SweepReports reports;

  public SweepActivitiesImpl(SweepMembers members, SweepReports reports) {
    this.members = members;
    this.reports = reports;
  }

  @Override
  public MemberStart prepareMember(String sweepId, ExperimentSpec experiment) {
    return members.prepare(sweepId, experiment);
  }

  @Override
  public SweepOutcome writeSweepReport(String sweepId, RunStatus status) {
    SweepSpec spec =
        reports
            .spec(sweepId)
            .orElseThrow(() -> BadInput.failure("no sweep recorded as '" + sweepId + "'"));
    return reports.conclude(spec, status);
  }
}
