package io.tunelab.report.html;

import io.tunelab.dataset.LabeledImages;
import io.tunelab.dataset.ShardCodec;
import io.tunelab.diagnosis.EpochPredictions;
import io.tunelab.diagnosis.OutOfSamplePredictions;
import io.tunelab.storage.Json;
import io.tunelab.storage.Keys;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * What the page reads from the bucket beyond the report JSON: the per-epoch validation predictions,
 * the out-of-sample predictions on the training images and the training shard. Anything missing,
 * unreadable or malformed is simply absent; nothing here throws.
 */
final class StoredEvidence {
  private final String runId;
  private final Function<String, byte[]> objects;
  private final Map<String, Optional<EpochPredictions>> predictions = new HashMap<>();

  StoredEvidence(String runId, Function<String, byte[]> objects) {
    this.runId = runId;
    this.objects = objects;
  }

  /** An object's bytes, or {@code null}. */
  byte[] object(String key) {
    try {
      return objects.apply(key);
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** An arm's validation predictions after an epoch, or {@code null}. */
  EpochPredictions predictions(String arm, int epoch) {
    return predictions
        .computeIfAbsent(
            arm + "#" + epoch,
            k -> {
              byte[] bytes = object(Keys.validationPredictions(runId, arm, epoch));
              if (bytes == null) {
                return Optional.empty();
              }
              try {
                EpochPredictions p = Json.read(bytes, EpochPredictions.class);
                return p.labels() == null || p.size() == 0 ? Optional.empty() : Optional.of(p);
              } catch (RuntimeException e) {
                return Optional.empty();
              }
            })
        .orElse(null);
  }

  /** The run's out-of-sample predictions on its training images, or {@code null}. */
  OutOfSamplePredictions outOfSample() {
    byte[] bytes = object(Keys.outOfSample(runId));
    if (bytes == null) {
      return null;
    }
    try {
      return Json.read(bytes, OutOfSamplePredictions.class);
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** The training split of an ingest, or {@code null}. */
  LabeledImages trainShard(String ingestId) {
    if (ingestId == null || ingestId.isBlank()) {
      return null;
    }
    byte[] bytes = object(Keys.shard(ingestId, "train"));
    if (bytes == null) {
      return null;
    }
    try {
      return ShardCodec.decode(bytes);
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }
}
