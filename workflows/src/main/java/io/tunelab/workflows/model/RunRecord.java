package io.tunelab.workflows.model;

/**
 * The run's record in the bucket ({@code runs/<runId>/run.json}): what {@code list} and {@code
 * resume} read. No credentials.
 *
 * @param runId the run
 * @param kind {@code experiment} or {@code pretrain}
 * @param status last known status
 * @param dataset dataset name or source
 * @param datasetVersion dataset version or {@code null}
 * @param trigger {@code cli} or {@code watch}
 * @param startedAt ISO-8601 start instant
 * @param finishedAt ISO-8601 end instant or {@code null}
 * @param experiment the experiment's spec, for experiment runs
 * @param pretrain the pretrain spec, for pretrain runs
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
    PretrainSpec pretrain) {
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
        pretrain);
  }
}
