package io.tunelab.workflows.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One config of a sweep: its number (from 1, in the order of the cartesian product of the varied
 * values), the value each varied flag takes in it, and the arms' parameters those values give.
 *
 * @param config the config's number, from 1
 * @param values varied flag (its long name without dashes, e.g. {@code lr}) to the value as given
 * @param finetune the fine-tune arm's parameters (the seed is set per member)
 * @param scratchLearningRate the scratch arm's learning rate
 */
public record SweepConfig(
    int config, Map<String, String> values, TrainingParams finetune, double scratchLearningRate) {
  public SweepConfig {
    if (config < 1) {
      throw new IllegalArgumentException("config must be >= 1: " + config);
    }
    values = values == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(values));
    if (finetune == null) {
      throw new IllegalArgumentException("finetune parameters must not be null");
    }
    if (!(scratchLearningRate > 0)) {
      throw new IllegalArgumentException(
          "scratch learning rate must be > 0: " + scratchLearningRate);
    }
  }

  /** The values as {@code lr=0.001 head-dropout=0.5}, for titles and logs. */
  public String label() {
    StringBuilder b = new StringBuilder();
    values.forEach(
        (flag, value) ->
            b.append(b.length() == 0 ? "" : " ").append(flag).append('=').append(value));
    return b.toString();
  }
}
