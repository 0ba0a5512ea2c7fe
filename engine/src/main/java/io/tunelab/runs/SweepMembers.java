package io.tunelab.runs;

import io.tunelab.workflows.model.ExperimentSpec;
import io.tunelab.workflows.model.MemberStart;
import io.tunelab.workflows.model.RunRecord;
import io.tunelab.workflows.model.RunStatus;
import java.time.Clock;
import java.util.Optional;

/**
 * A sweep's members in the bucket: each is recorded as a normal run (with its sweep's id) before it
 * starts, so {@code list} and {@code report} see it like any run, and a sweep that goes on after
 * its workflow was lost starts none of them twice.
 */
public final class SweepMembers {
  private final RunRecords records;
  private final RunRecovery recovery;
  private final Clock clock;

  public SweepMembers(RunRecords records, RunRecovery recovery, Clock clock) {
    this.records = records;
    this.recovery = recovery;
    this.clock = clock;
  }

  /**
   * Records a member before it starts and says how to go on with it: a member never recorded
   * starts; one recorded as running (its workflow lost, or the record written by an earlier try of
   * this step) continues from what it left in the bucket; one that has ended is left alone.
   */
  public MemberStart prepare(String sweepId, ExperimentSpec experiment) {
    Optional<RunRecord> record = records.find(experiment.runId());
    if (record.isEmpty()) {
      records.save(RunRecord.experiment(experiment, sweepId, clock.instant().toString()));
      return new MemberStart(experiment, null);
    }
    RunStatus status = record.get().status();
    if (status != RunStatus.RUNNING) {
      return new MemberStart(null, status);
    }
    return new MemberStart(
        recovery.resumePoint(experiment).map(experiment::resumingFrom).orElse(experiment), null);
  }
}
