package io.tunelab.workflows.model;

/**
 * The run's record in the bucket ({@code runs/<runId>/run.json}): what {@code list} and {@code
 * resume} read. No credentials.
 *
 * @param runId the run
 * @param kind {@code experiment}, {@code pretrain} or {@code sweep}
 * @param status last known status
 * @param dataset dataset name or source
 * @param datasetVersion dataset version or {@code null}
 * @param trigger {@code cli} or {@code watch}
 * @param startedAt ISO-8601 start instant
 * @param finishedAt ISO-8601 end instant or {@code null}
 * @param experiment the experiment's spec, for experiment runs
 * @param pretrain the pretrain spec, for pretrain runs
 * @param sweep the id of the sweep this run is a member of, or {@code null}
 * @param sweepSpec the sweep's spec, for sweeps
 */
public record RunRecord(
    String runId,
    String kind,
    RunStatus status,
    String dataset,
    String datasetVersion,
    String trigger,
    String startedAt,
    String finishedAt,
    ExperimentSpec experiment,
    PretrainSpec pretrain,
    String sweep,
    SweepSpec sweepSpec) {
  public RunRecord {
    RunIds.requireValid(runId);
  }

  /** A copy with a new status and end time. */
  public RunRecord finished(RunStatus newStatus, String at) {
    return new RunRecord(
        runId,
        kind,
        newStatus,
        dataset,
        datasetVersion,
        trigger,
        startedAt,
        at,
        experiment,
        pretrain,
        sweep,
        sweepSpec);
  }

  /** A new record of an experiment run, started now by {@code trigger}. */
  public static RunRecord experiment(ExperimentSpec spec, String sweep, String startedAt) {
    return new RunRecord(
        spec.runId(),
        "experiment",
        RunStatus.RUNNING,
        spec.datasetName() == null ? spec.source() : spec.datasetName(),
        spec.datasetVersion(),
        spec.trigger(),
        startedAt,
        null,
        spec,
        null,
        sweep,
        null);
  }

  /** A new record of a sweep. */
  public static RunRecord sweep(SweepSpec spec, String startedAt) {
    ExperimentSpec base = spec.base();
    return new RunRecord(
        spec.sweepId(),
        "sweep",
        RunStatus.RUNNING,
        base.datasetName() == null ? base.source() : base.datasetName(),
        base.datasetVersion(),
        base.trigger(),
        startedAt,
        null,
        null,
        null,
        null,
        spec);
  }
}
