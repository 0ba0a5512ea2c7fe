package io.tunelab.dataset;

import io.tunelab.storage.Json;
import io.tunelab.table.FeatureScaler;
import io.tunelab.table.TableRows;
import io.tunelab.workflows.model.SampleShape;
import java.util.List;
import java.util.Map;

/**
 * The result of a table ingest: the encoded rows of each split, the scaler fitted on the training
 * split, the profile and the manifest.
 *
 * @param contentId hex SHA-256 over the format, the options and the files' bytes
 * @param classes class names in label order
 * @param splits {@code train}, {@code val} and {@code test} to their rows
 * @param scaler the standardisation fitted on the training rows only
 * @param profile the dataset profile, with its {@link TableStats}
 */
public record TableOutcome(
    String contentId,
    List<String> classes,
    Map<String, TableRows> splits,
    FeatureScaler scaler,
    DatasetProfile profile) {

  /** The shape of one row. */
  public SampleShape shape() {
    return profile.shape();
  }

  /**
   * The manifest as JSON: the content id, classes, shape and features, the rows per split and per
   * class, and the rejected rows; one entry per row would cost more than the rows themselves, and
   * each row's origin is stored with it in the shard.
   */
  public byte[] manifestJson() {
    return Json.bytesInMapOrder(
        new TableManifest(
            contentId,
            classes,
            profile.shape(),
            profile.table().features(),
            profile.table().rows(),
            profile.counts(),
            profile.rejected()));
  }

  /** The manifest of a table ingest; see {@link #manifestJson()}. */
  record TableManifest(
      String contentId,
      List<String> classes,
      SampleShape shape,
      List<String> features,
      Map<String, Integer> rows,
      Map<String, Map<String, Integer>> counts,
      List<RejectedFile> rejected) {}
}
