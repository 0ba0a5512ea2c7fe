package io.tunelab.training;

import io.tunelab.dataset.LabeledImages;
import io.tunelab.dataset.ShardCache;
import io.tunelab.storage.Json;
import io.tunelab.storage.Keys;
import io.tunelab.storage.ObjectStore;
import io.tunelab.table.FeatureScaler;
import io.tunelab.table.TableRows;
import io.tunelab.table.TableRowsCodec;
import io.tunelab.workflows.model.DatasetRef;
import io.tunelab.workflows.model.SampleKind;
import io.tunelab.workflows.model.SampleShape;

/**
 * Reads a split of an ingest as a network takes it. Images are the decoded shard. A table's split
 * is its encoded rows ({@link TableRowsCodec}) standardised with the ingest's scaler, fitted on the
 * training split only ({@link FeatureScaler} at {@link Keys#scaler}), so that training, validation,
 * test predictions and the champion see the same transform; it is kept in the shard cache under a
 * key of its own.
 */
public final class TrainingSplits {
  private TrainingSplits() {}

  /**
   * The split {@code split} ({@code train}, {@code val} or {@code test}) of the dataset.
   *
   * @throws IllegalArgumentException when a table's rows have other features than its scaler or its
   *     dataset's shape
   */
  public static LabeledImages read(
      ObjectStore store, ShardCache shards, DatasetRef data, String split) {
    String key = data.shardKeys().get(split);
    if (data.shape().kind() != SampleKind.TABLE) {
      return shards.get(key);
    }
    return read(store, shards, data, split, Keys.scaler(data.ingestId()));
  }

  /**
   * The split {@code split} of the dataset, a table's rows standardised with the scaler at {@code
   * scalerKey} (a registered model's, say) rather than the dataset's own; images as they are.
   */
  public static LabeledImages read(
      ObjectStore store, ShardCache shards, DatasetRef data, String split, String scalerKey) {
    String key = data.shardKeys().get(split);
    if (data.shape().kind() != SampleKind.TABLE) {
      return shards.get(key);
    }
    return shards.get(
        key + "#standardised:" + scalerKey, () -> standardised(store, data, key, scalerKey));
  }

  private static LabeledImages standardised(
      ObjectStore store, DatasetRef data, String key, String scalerKey) {
    TableRows rows = TableRowsCodec.decode(store.get(key));
    FeatureScaler scaler = Json.read(store.get(scalerKey), FeatureScaler.class);
    return rows(data.shape(), rows, scaler);
  }

  /** A table's rows standardised by {@code scaler}, for a network taking {@code shape}. */
  public static LabeledImages rows(SampleShape shape, TableRows rows, FeatureScaler scaler) {
    if (shape.features() != rows.features()) {
      throw new IllegalArgumentException(
          "the dataset's rows have "
              + shape.features()
              + " features, the shard "
              + rows.features());
    }
    return LabeledImages.rows(shape, scaler.apply(rows), rows.labels());
  }
}
