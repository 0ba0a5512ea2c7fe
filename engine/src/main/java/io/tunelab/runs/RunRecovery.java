package io.tunelab.runs;

import com.fasterxml.jackson.databind.JsonNode;
import io.tunelab.storage.Json;
import io.tunelab.storage.Keys;
import io.tunelab.storage.ObjectNotFoundException;
import io.tunelab.storage.ObjectStore;
import io.tunelab.workflows.model.Arm;
import io.tunelab.workflows.model.DatasetRef;
import io.tunelab.workflows.model.EpochMetrics;
import io.tunelab.workflows.model.ExperimentSpec;
import io.tunelab.workflows.model.ResumePoint;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Rebuilds where an experiment stands from what its activities left in the bucket: each epoch's
 * {@code metrics.json}, the checkpoints that were kept, and the ingest named in the arms' {@code
 * latest.json}. Used when the workflow itself is gone.
 */
public final class RunRecovery {
  private final ObjectStore store;

  public RunRecovery(ObjectStore store) {
    this.store = store;
  }

  /**
   * The resume point of an experiment, or empty when no epoch had finished (the run can then only
   * start again from its source).
   */
  public Optional<ResumePoint> resumePoint(ExperimentSpec spec) {
    List<Arm> arms = spec.scratch() ? List.of(Arm.FINETUNE, Arm.SCRATCH) : List.of(Arm.FINETUNE);
    String ingestId = null;
    Map<String, List<ResumePoint.EpochRecord>> done = new LinkedHashMap<>();
    for (Arm arm : arms) {
      try {
        JsonNode latest = Json.tree(store.get(Keys.latestCheckpoint(spec.runId(), arm)));
        if (latest.hasNonNull("ingestId")) {
          ingestId = latest.get("ingestId").asText();
        }
      } catch (ObjectNotFoundException e) {
        // this arm finished no epoch yet
      }
      done.put(arm.wire(), epochs(spec.runId(), arm));
    }
    if (ingestId == null) {
      return Optional.empty();
    }
    DatasetRef dataset = Json.read(store.get(Keys.ingestRef(ingestId)), DatasetRef.class);
    return Optional.of(new ResumePoint(dataset, done));
  }

  private List<ResumePoint.EpochRecord> epochs(String runId, Arm arm) {
    Set<String> keys = new TreeSet<>(store.list(Keys.armPrefix(runId, arm) + "epoch-"));
    List<ResumePoint.EpochRecord> records = new ArrayList<>();
    for (String key : keys) {
      if (!key.endsWith("/metrics.json")) {
        continue;
      }
      EpochMetrics metrics = Json.read(store.get(key), EpochMetrics.class);
      String checkpoint = Keys.checkpoint(runId, arm, metrics.epoch());
      records.add(
          new ResumePoint.EpochRecord(metrics, keys.contains(checkpoint) ? checkpoint : null));
    }
    return records;
  }
}
