package io.tunelab.workflows.activities;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;
import io.tunelab.workflows.model.ExperimentSpec;
import io.tunelab.workflows.model.MemberStart;
import io.tunelab.workflows.model.RunStatus;
import io.tunelab.workflows.model.SweepOutcome;

/** A sweep's bookkeeping in the bucket: its members' records and its report. */
@ActivityInterface
public interface SweepActivities {
  /**
   * Records a member of sweep {@code sweepId} before it starts, so that it is listed like any run,
   * and says how to go on with it: a member that has ended is not started again, one whose workflow
   * was lost continues from its last checkpoint. Idempotent.
   */
  @ActivityMethod
  MemberStart prepareMember(String sweepId, ExperimentSpec experiment);

  /** Writes the sweep's report from its members' records and reports; returns its verdict. */
  @ActivityMethod
  SweepOutcome writeSweepReport(String sweepId, RunStatus status);
}
