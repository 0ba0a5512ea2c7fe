package io.tunelab.diagnosis;

import io.tunelab.dataset.DatasetProfile;
import io.tunelab.dataset.SourceStats;
import io.tunelab.workflows.model.RunState;
import java.util.List;
import java.util.Map;

/**
 * Everything the diagnosis reads: the run's curves and comparison, the dataset profile, the
 * per-epoch validation predictions of each arm, and optional probe evidence. Every field but {@code
 * state} may be missing ({@code null} or empty); rules that need it then stay silent.
 *
 * @param state the run (arms' epoch metrics, comparison, dataset summary)
 * @param profile the dataset profile, or {@code null}
 * @param validation arm name to its per-epoch validation predictions, in epoch order
 * @param outOfSample out-of-sample predictions on training images, or {@code null}
 * @param source pixel statistics of the pretrained model's source data, or {@code null}
 * @param probes probe results, or {@code null}
 */
public record DiagnosisInput(
    RunState state,
    DatasetProfile profile,
    Map<String, List<EpochPredictions>> validation,
    OutOfSamplePredictions outOfSample,
    SourceStats source,
    ProbeResults probes) {
  public DiagnosisInput {
    if (state == null) {
      throw new IllegalArgumentException("state must not be null");
    }
    validation = validation == null ? Map.of() : Map.copyOf(validation);
  }

  /** Only the run's state: what the workflow alone knows. */
  public static DiagnosisInput of(RunState state) {
    return new DiagnosisInput(state, null, Map.of(), null, null, null);
  }
}
