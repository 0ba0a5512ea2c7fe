package io.tunelab.diagnosis;

import io.tunelab.dataset.DatasetProfile;
import io.tunelab.dataset.SourceStats;
import io.tunelab.registry.ModelRegistry;
import io.tunelab.storage.Json;
import io.tunelab.storage.Keys;
import io.tunelab.storage.ObjectNotFoundException;
import io.tunelab.storage.ObjectStore;
import io.tunelab.workflows.model.ArmResult;
import io.tunelab.workflows.model.EpochMetrics;
import io.tunelab.workflows.model.RunState;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Gathers a run's diagnosis evidence from the bucket: the dataset profile, each arm's per-epoch
 * validation predictions, the pretrained model's source statistics, and the probe results when
 * probes ran.
 */
public final class EvidenceReader {
  private final ObjectStore store;

  public EvidenceReader(ObjectStore store) {
    this.store = store;
  }

  /** The diagnosis input of a run; missing evidence stays empty. */
  public DiagnosisInput read(RunState state) {
    DatasetProfile profile = null;
    if (state.dataset() != null) {
      try {
        profile = DatasetProfile.fromJson(store.get(state.dataset().profileKey()));
      } catch (ObjectNotFoundException | IOException e) {
        profile = null;
      }
    }
    Map<String, List<EpochPredictions>> validation = new LinkedHashMap<>();
    for (ArmResult arm : state.arms().values()) {
      List<EpochPredictions> epochs = new ArrayList<>();
      for (EpochMetrics m : arm.epochs()) {
        try {
          epochs.add(
              Json.read(
                  store.get(Keys.validationPredictions(state.runId(), arm.arm().wire(), m.epoch())),
                  EpochPredictions.class));
        } catch (ObjectNotFoundException e) {
          // a diverged epoch has no predictions
        }
      }
      validation.put(arm.arm().wire(), epochs);
    }
    SourceStats source =
        state.pretrained() == null
            ? null
            : new ModelRegistry(store).sourceStats(state.pretrained()).orElse(null);
    OutOfSamplePredictions outOfSample =
        optional(Keys.outOfSample(state.runId()), OutOfSamplePredictions.class);
    ProbeResults probes = optional(Keys.probes(state.runId()), ProbeResults.class);
    return new DiagnosisInput(state, profile, validation, outOfSample, source, probes);
  }

  private <T> T optional(String key, Class<T> type) {
    try {
      return Json.read(store.get(key), type);
    } catch (ObjectNotFoundException e) {
      return null;
    }
  }
}
