package io.tunelab.dataset;

import io.tunelab.workflows.model.ImageShape;
import java.util.List;
import java.util.Map;

/**
 * The result of an ingest: the images of each split, ready to be stored as shards, and the
 * manifest and profile that describe them.
 *
 * @param contentId hex SHA-256 naming this ingest; the same files (paths and bytes, and the
 *     reasons of rejected ones) with the same options give the same id
 * @param classes class names in label order (sorted)
 * @param splits {@code train}, {@code val} and {@code test} to their images (always all three;
 *     a split may be empty)
 * @param manifestJson the manifest as JSON bytes
 * @param profile the dataset profile
 */
public record IngestOutcome(
    String contentId,
    List<String> classes,
    Map<String, LabeledImages> splits,
    byte[] manifestJson,
    DatasetProfile profile) {

  /** The images of one split. */
  public LabeledImages split(String name) {
    LabeledImages images = splits.get(name);
    if (images == null) {
      throw new IllegalArgumentException("no split '" + name + "'; splits are train, val, test");
    }
    return images;
  }

  /** The shape images were stored in. */
  public ImageShape shape() {
    return profile.shape();
  }

  /** Split name to class name to image count. */
  public Map<String, Map<String, Integer>> counts() {
    return profile.counts();
  }

  /** Files that were not ingested, with the reason. */
  public List<RejectedFile> rejected() {
    return profile.rejected();
  }
}
