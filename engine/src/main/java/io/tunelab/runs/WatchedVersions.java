package io.tunelab.runs;

import io.tunelab.dataset.DatasetVersions;
import io.tunelab.storage.Json;
import io.tunelab.storage.Keys;
import io.tunelab.storage.ObjectStore;
import io.tunelab.workflows.model.DatasetVersion;
import io.tunelab.workflows.model.ExperimentSpec;
import io.tunelab.workflows.model.RunRecord;
import io.tunelab.workflows.model.RunStart;
import io.tunelab.workflows.model.RunStatus;
import io.tunelab.workflows.model.WatchSpec;
import io.tunelab.workflows.model.WatchedRun;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The versions of a watched dataset: which are new, and the run each one starts. Handled versions
 * are recorded in the bucket ({@code watches/NAME/versions/<version>.json}), after their run has
 * been started, so the watcher itself carries no list of them.
 *
 * <p>Exactly once: the run of a version is named after its content hash ({@link WatchSpec#runId});
 * its record {@code runs/<id>/run.json} is written before its workflow is started with a reuse
 * policy that rejects duplicates. A retried or repeated start therefore finds either the workflow
 * (Temporal refuses a second one) or, once Temporal has forgotten it, the record's final status
 * (the run finished: nothing is started). Only a run whose record still says RUNNING and whose
 * workflow Temporal does not know is started again (it was never started, or Temporal lost it),
 * from its last checkpoint when it has one.
 */
public final class WatchedVersions {
  private static final Logger log = LoggerFactory.getLogger(WatchedVersions.class);

  private final ObjectStore store;
  private final DatasetVersions versions;
  private final RunRecords records;

  public WatchedVersions(ObjectStore store) {
    this.store = store;
    this.versions = new DatasetVersions(store);
    this.records = new RunRecords(store);
  }

  /** Starts a run's workflow unless one of its id was started before. */
  @FunctionalInterface
  public interface Starter {
    /**
     * Starts the experiment's workflow on {@code taskQueue}.
     *
     * @return {@code true} when started, {@code false} when a workflow of its run id was started
     *     already
     */
    boolean start(ExperimentSpec experiment, String taskQueue);
  }

  /**
   * A version the watcher handled.
   *
   * @param version the version's name
   * @param contentHash its content hash
   * @param runId the run of its content
   * @param note what was done
   * @param handledAt ISO-8601 instant
   */
  public record Handled(
      String version, String contentHash, String runId, String note, String handledAt) {}

  /** The complete versions of the dataset that no run has been started for yet. */
  public List<DatasetVersion> newVersions(String datasetName) {
    Set<String> handled = new HashSet<>();
    String prefix = Keys.watchedVersions(datasetName);
    for (String key : store.list(prefix)) {
      if (key.endsWith(".json")) {
        handled.add(key.substring(prefix.length(), key.length() - ".json".length()));
      }
    }
    List<String> candidates =
        versions.folders(datasetName).stream().filter(v -> !handled.contains(v)).toList();
    List<DatasetVersion> fresh = new ArrayList<>();
    for (String version : versions.complete(datasetName, candidates)) {
      fresh.add(versions.describe(datasetName, version));
    }
    return fresh;
  }

  /**
   * Starts the run of a version with {@code starter}, exactly once, and records the version as
   * handled.
   */
  public RunStart startRun(WatchedRun run, Starter starter) {
    WatchSpec spec = run.spec();
    DatasetVersion version = run.version();
    String runId = WatchSpec.runId(spec.datasetName(), version);
    String source =
        "s3://" + store.bucket() + "/" + Keys.datasetVersion(spec.datasetName(), version.name());
    source = source.substring(0, source.length() - 1);
    ExperimentSpec experiment = spec.experiment(version, source);

    Optional<RunRecord> existing = records.find(runId);
    RunStart result;
    if (existing.isPresent() && !version.name().equals(existing.get().datasetVersion())) {
      result =
          new RunStart(
              version.name(),
              runId,
              false,
              "same content as version "
                  + existing.get().datasetVersion()
                  + ", already run as "
                  + runId);
    } else if (existing.isPresent() && existing.get().status() != RunStatus.RUNNING) {
      result =
          new RunStart(
              version.name(),
              runId,
              false,
              "run " + runId + " already ended " + existing.get().status());
    } else {
      if (existing.isPresent()) {
        experiment =
            new RunRecovery(store)
                .resumePoint(
                    existing.get().experiment() == null ? experiment : existing.get().experiment())
                .map(experiment::resumingFrom)
                .orElse(experiment);
      } else {
        records.save(
            new RunRecord(
                runId,
                "experiment",
                RunStatus.RUNNING,
                spec.datasetName(),
                version.name(),
                "watch",
                Instant.now().toString(),
                null,
                experiment,
                null,
                null,
                null));
      }
      result =
          new RunStart(version.name(), runId, true, start(experiment, run.taskQueue(), starter));
    }
    store.put(
        Keys.watchedVersion(spec.datasetName(), version.name()),
        Json.bytes(
            new Handled(
                version.name(),
                version.contentHash(),
                runId,
                result.note(),
                Instant.now().toString())),
        "application/json");
    log.info("dataset {} version {}: {}", spec.datasetName(), version.name(), result.note());
    return result;
  }

  private static String start(ExperimentSpec experiment, String taskQueue, Starter starter) {
    if (starter.start(experiment, taskQueue)) {
      return "started run "
          + experiment.runId()
          + (experiment.resume() != null ? " from its last checkpoint" : "");
    }
    return "run " + experiment.runId() + " was started already";
  }
}
