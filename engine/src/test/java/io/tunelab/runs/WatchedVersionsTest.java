package io.tunelab.runs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tunelab.dataset.DatasetVersions;
import io.tunelab.storage.InMemoryObjectStore;
import io.tunelab.storage.Json;
import io.tunelab.storage.Keys;
import io.tunelab.storage.ObjectStore;
import io.tunelab.workflows.model.DatasetVersion;
import io.tunelab.workflows.model.ExperimentSpec;
import io.tunelab.workflows.model.RunStart;
import io.tunelab.workflows.model.RunStatus;
import io.tunelab.workflows.model.TrainingParams;
import io.tunelab.workflows.model.WatchSpec;
import io.tunelab.workflows.model.WatchedRun;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The watcher's version scan and run start without Temporal, on an in-memory bucket: a complete
 * version is new until its run is started; the run is started once, recorded before it starts, and
 * not started again once it ended.
 */
class WatchedVersionsTest {
  @Test
  void aNewVersionStartsItsRunOnce() {
    ObjectStore store = new InMemoryObjectStore();
    String version = Keys.datasetVersion("shoes", "v1");
    store.put(version + "bag/a.png", new byte[] {1, 2, 3});
    String hash = "ab".repeat(32);
    store.put(
        version + "_READY",
        Json.bytes(
            new DatasetVersions.ReadyMarker(
                DatasetVersions.FORMAT, "shoes", "v1", hash, 1, "2026-01-01T00:00:00Z")),
        "application/json");
    WatchedVersions versions = new WatchedVersions(store);
    RunRecords records = new RunRecords(store);

    List<DatasetVersion> fresh = versions.newVersions("shoes");
    assertEquals(List.of(new DatasetVersion("v1", hash)), fresh);

    WatchSpec spec =
        new WatchSpec(
            "shoes",
            "base",
            List.of(),
            0,
            TrainingParams.builder().epochs(2).batchSize(32).learningRate(0.001).seed(5).build(),
            0.002,
            false,
            1_000,
            10,
            false,
            null,
            null);
    WatchedRun run = new WatchedRun(spec, fresh.get(0), "queue");
    String runId = WatchSpec.runId("shoes", fresh.get(0));
    List<ExperimentSpec> started = new ArrayList<>();
    RunStart first =
        versions.startRun(
            run,
            (experiment, queue) -> {
              assertTrue(records.find(experiment.runId()).isPresent(), "recorded first");
              assertEquals("queue", queue);
              return started.add(experiment);
            });
    assertTrue(first.started());
    assertEquals("started run " + runId, first.note());
    assertEquals(runId, started.get(0).runId());
    assertEquals("s3://tunelab/datasets/shoes/v1", started.get(0).source());
    assertTrue(store.exists(Keys.watchedVersion("shoes", "v1")));
    assertEquals(List.of(), versions.newVersions("shoes"));

    RunStart retried = versions.startRun(run, (experiment, queue) -> false);
    assertEquals("run " + runId + " was started already", retried.note());

    records.finish(runId, RunStatus.COMPLETED);
    RunStart ended =
        versions.startRun(
            run,
            (experiment, queue) -> {
              throw new AssertionError("an ended run is not started again");
            });
    assertFalse(ended.started());
    assertEquals("run " + runId + " already ended COMPLETED", ended.note());
  }
}
